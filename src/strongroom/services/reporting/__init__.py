"""Transaction reporting: batches, statistics, lists, details and the merchant's account."""
