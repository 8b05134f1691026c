package secretsmanager

// ExceptionCode exposes exceptionCode to the external test that checks it
// against the awserr table.
var ExceptionCode = exceptionCode
