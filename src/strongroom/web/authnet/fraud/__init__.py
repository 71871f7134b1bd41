"""updateHeldTransaction and how a transaction shows its fraud filters."""
