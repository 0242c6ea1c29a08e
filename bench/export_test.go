package bench

// Median is the median the measurement uses, for the validation tests.
var Median = median
