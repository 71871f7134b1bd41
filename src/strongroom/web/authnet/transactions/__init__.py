"""createTransaction and the transaction calls beside it: messages, decode, handlers, views."""
