"""Recognition (« reconnaissance »): rules the organisation values, proposals, validation."""
