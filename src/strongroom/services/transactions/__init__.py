"""Transactions as every use case sees them: request and result values, records, stored orders."""
