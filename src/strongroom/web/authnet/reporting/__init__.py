"""Transaction reporting and getMerchantDetails: messages, decode, handlers, views."""
