package elb

// Rule is a listener rule: conditions, all of which must match, and the
// actions taken when they do. Rules are evaluated by priority, lowest
// first; the listener's default rule (its default actions) comes last.
type Rule struct {
	ID          string      `json:"id"`
	ARN         string      `json:"arn"`
	ListenerARN string      `json:"listenerArn"`
	Priority    int         `json:"priority"`
	Conditions  []Condition `json:"conditions"`
	Actions     []Action    `json:"actions"`
	Tags        []Tag       `json:"tags,omitempty"`
}

// Condition fields.
const (
	FieldHostHeader  = "host-header"
	FieldPathPattern = "path-pattern"
	FieldHTTPHeader  = "http-header"
	FieldMethod      = "http-request-method"
	FieldQueryString = "query-string"
	FieldSourceIP    = "source-ip"
)

// Condition is one rule condition. Values are the host names, path
// patterns, header values, methods or CIDR blocks to match, any one of
// which satisfies the condition; a query-string condition has Query
// instead.
type Condition struct {
	Field      string      `json:"field"`
	Values     []string    `json:"values,omitempty"`
	HeaderName string      `json:"headerName,omitempty"`
	Query      []QueryPair `json:"query,omitempty"`
	// Legacy is set when the values came in the condition's top-level
	// Values rather than its *Config (host-header and path-pattern only).
	Legacy bool `json:"legacy,omitempty"`
}

// QueryPair is one query-string match: an optional key and a value.
type QueryPair struct {
	Key   string `json:"key,omitempty"`
	Value string `json:"value"`
}

// Action types.
const (
	ActionForward       = "forward"
	ActionRedirect      = "redirect"
	ActionFixedResponse = "fixed-response"
)

// Action is one rule action. Exactly one terminal action (forward,
// redirect or fixed-response) ends a rule's list.
type Action struct {
	Type     string               `json:"type"`
	Order    int                  `json:"order"`
	Forward  *ForwardConfig       `json:"forward,omitempty"`
	Redirect *RedirectConfig      `json:"redirect,omitempty"`
	Fixed    *FixedResponseConfig `json:"fixed,omitempty"`
}

// ForwardConfig sends requests to one or more weighted target groups.
type ForwardConfig struct {
	TargetGroups []WeightedTargetGroup `json:"targetGroups"`
	// Stickiness binds a client to the target group it was first sent to
	// (the AWSALBTG cookie), for StickinessSeconds.
	Stickiness        bool `json:"stickiness,omitempty"`
	StickinessSeconds int  `json:"stickinessSeconds,omitempty"`
}

// WeightedTargetGroup is a target group in a forward action.
type WeightedTargetGroup struct {
	ARN    string `json:"arn"`
	Weight int    `json:"weight"`
}

// RedirectConfig is a redirect action. Empty fields keep the request's
// value; the #{protocol}, #{host}, #{port}, #{path} and #{query}
// placeholders stand for the request's own.
type RedirectConfig struct {
	Protocol   string `json:"protocol"`
	Port       string `json:"port"`
	Host       string `json:"host"`
	Path       string `json:"path"`
	Query      string `json:"query"`
	StatusCode string `json:"statusCode"` // HTTP_301 or HTTP_302
}

// FixedResponseConfig is a fixed-response action.
type FixedResponseConfig struct {
	StatusCode  string `json:"statusCode"`
	ContentType string `json:"contentType,omitempty"`
	MessageBody string `json:"messageBody,omitempty"`
}

// TargetGroupARNs lists the target groups the actions forward to.
func TargetGroupARNs(actions []Action) []string {
	var out []string
	for _, a := range actions {
		if a.Forward != nil {
			for _, tg := range a.Forward.TargetGroups {
				out = append(out, tg.ARN)
			}
		}
	}
	return out
}
