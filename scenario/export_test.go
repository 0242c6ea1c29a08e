package scenario

// WellFormed is the tree walk behind Validate's fast path, for
// TestValidateAgreesWithDecode.
var WellFormed = wellFormed
