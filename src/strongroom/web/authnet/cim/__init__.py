"""Customer-profile (CIM) operations: messages, decode, handlers, views."""
