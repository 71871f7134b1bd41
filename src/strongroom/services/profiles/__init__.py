"""The customer vault (CIM): customer profiles, payment profiles, shipping addresses, sealing."""
