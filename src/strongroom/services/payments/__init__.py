"""Moving money: charges, follow-ups, held reviews, split tenders, the payments facade."""
