package elb

import "github.com/quayside/quayside/internal/fault"

// Error kinds; package awserr maps them to ELBv2's error codes (which carry
// no Exception suffix).
var (
	ErrValidation                 = fault.NewKind("elb validation", fault.Invalid)
	ErrLoadBalancerNotFound       = fault.NewKind("load balancer not found", fault.NotFound)
	ErrTargetGroupNotFound        = fault.NewKind("target group not found", fault.NotFound)
	ErrListenerNotFound           = fault.NewKind("listener not found", fault.NotFound)
	ErrRuleNotFound               = fault.NewKind("rule not found", fault.NotFound)
	ErrDuplicateLoadBalancerName  = fault.NewKind("duplicate load balancer name", fault.AlreadyExists)
	ErrDuplicateTargetGroupName   = fault.NewKind("duplicate target group name", fault.AlreadyExists)
	ErrDuplicateListener          = fault.NewKind("duplicate listener", fault.AlreadyExists)
	ErrDuplicateTagKeys           = fault.NewKind("duplicate tag keys", fault.Invalid)
	ErrPriorityInUse              = fault.NewKind("priority in use", fault.Conflict)
	ErrResourceInUse              = fault.NewKind("resource in use", fault.Conflict)
	ErrInvalidConfiguration       = fault.NewKind("invalid configuration request", fault.Invalid)
	ErrInvalidTarget              = fault.NewKind("invalid target", fault.Invalid)
	ErrInvalidLoadBalancerAction  = fault.NewKind("invalid load balancer action", fault.Invalid)
	ErrOperationNotPermitted      = fault.NewKind("operation not permitted", fault.Conflict)
	ErrIncompatibleProtocols      = fault.NewKind("incompatible protocols", fault.Invalid)
	ErrUnsupportedProtocol        = fault.NewKind("unsupported protocol", fault.Invalid)
	ErrSSLPolicyNotFound          = fault.NewKind("ssl policy not found", fault.NotFound)
	ErrCertificateNotFound        = fault.NewKind("certificate not found", fault.NotFound)
	ErrInvalidScheme              = fault.NewKind("invalid scheme", fault.Invalid)
	ErrInvalidSubnet              = fault.NewKind("invalid subnet", fault.Invalid)
	ErrTargetGroupAssociation     = fault.NewKind("target group association limit", fault.LimitExceeded)
	ErrTooManyLoadBalancers       = fault.NewKind("too many load balancers", fault.LimitExceeded)
	ErrTooManyTargetGroups        = fault.NewKind("too many target groups", fault.LimitExceeded)
	ErrTooManyListeners           = fault.NewKind("too many listeners", fault.LimitExceeded)
	ErrTooManyRules               = fault.NewKind("too many rules", fault.LimitExceeded)
	ErrTooManyTargets             = fault.NewKind("too many targets", fault.LimitExceeded)
	ErrTooManyTags                = fault.NewKind("too many tags", fault.LimitExceeded)
	ErrTooManyActions             = fault.NewKind("too many actions", fault.LimitExceeded)
	ErrTooManyCertificates        = fault.NewKind("too many certificates", fault.LimitExceeded)
	ErrTooManyRegistrationsForTgt = fault.NewKind("too many registrations for target id", fault.LimitExceeded)
)

// Limits: AWS's default quotas for Application Load Balancers.
const (
	MaxLoadBalancers        = 50    // per region
	MaxTargetGroups         = 3000  // per region
	MaxListeners            = 50    // per load balancer
	MaxRules                = 100   // per load balancer, default rules not counted
	MaxTargets              = 1000  // per target group
	MaxTargetGroupsPerRule  = 5     // in one forward action
	MaxTags                 = 50    // per resource
	MaxActions              = 5     // per rule, of every type
	MaxCertificates         = 25    // per listener
	MaxConditionValues      = 5     // match evaluations per rule
	MaxValuesPerCondition   = 3     // match evaluations per condition
	MaxWildcardsPerRule     = 5     // '*' and '?' across a rule's conditions
	MaxConditionValueLength = 128   // each host, path, header or query value
	MaxPriority             = 50000 // rule priorities are 1..MaxPriority
)

func invalid(format string, args ...any) error { return fault.Newf(ErrValidation, format, args...) }
