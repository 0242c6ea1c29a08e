package python

// PyenvTarget is pyenvTarget, for the tests.
var PyenvTarget = pyenvTarget
