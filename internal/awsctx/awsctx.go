// Package awsctx carries the metadata of one AWS API request through a
// context: its request ID, the region and access key from the SigV4
// credential scope, the account, and the operation being served.
package awsctx

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"net/http"
	"strings"
)

// DefaultAccount is the account every request acts in until accounts are
// configured.
const DefaultAccount = "000000000000"

// Meta describes one request.
type Meta struct {
	RequestID string
	Region    string
	AccessKey string
	Account   string
	Service   string // the SigV4 signing name, e.g. "ecs"
	Operation string
	SourceIP  string
}

type key struct{}

// With returns a context carrying m.
func With(ctx context.Context, m *Meta) context.Context { return context.WithValue(ctx, key{}, m) }

// metaCtx is a context that carries its request's Meta inline, so that a
// request's context and metadata cost one allocation (see NewContext).
type metaCtx struct {
	context.Context
	meta Meta
}

func (c *metaCtx) Value(k any) any {
	if k == (key{}) {
		return &c.meta
	}
	return c.Context.Value(k)
}

// NewContext builds the metadata of an HTTP request, as FromRequest does,
// and returns it with a child of parent that carries it.
func NewContext(parent context.Context, r *http.Request, defaultRegion string) (context.Context, *Meta) {
	c := &metaCtx{Context: parent}
	fill(&c.meta, r, defaultRegion)
	return c, &c.meta
}

// From returns the request's metadata, or a zero Meta in the default
// region and account when the context carries none (as in unit tests).
func From(ctx context.Context) *Meta {
	if m, ok := ctx.Value(key{}).(*Meta); ok {
		return m
	}
	return &Meta{Region: "us-east-1", Account: DefaultAccount}
}

// Scope is what the SigV4 Authorization header's credential says.
type Scope struct {
	AccessKey string
	Date      string
	Region    string
	Service   string
}

// ParseAuthorization reads the credential scope of a SigV4 header:
// "AWS4-HMAC-SHA256 Credential=AKID/20240101/us-east-1/ecs/aws4_request, ...".
// ok is false when the header is absent or not SigV4.
func ParseAuthorization(h string) (s Scope, ok bool) {
	const algo = "AWS4-HMAC-SHA256 "
	rest, found := strings.CutPrefix(h, algo)
	if !found {
		return s, false
	}
	// The first comma-separated part that is a credential decides.
	for found {
		var part string
		part, rest, found = strings.Cut(rest, ",")
		cred, ok := strings.CutPrefix(strings.TrimSpace(part), "Credential=")
		if !ok {
			continue
		}
		// Exactly five fields: AKID/date/region/service/aws4_request.
		var f [5]string
		for i := range f {
			var more bool
			f[i], cred, more = strings.Cut(cred, "/")
			if more != (i < len(f)-1) {
				return s, false
			}
		}
		if f[4] != "aws4_request" {
			return s, false
		}
		return Scope{AccessKey: f[0], Date: f[1], Region: f[2], Service: f[3]}, true
	}
	return s, false
}

// ValidRegion reports whether r looks like an AWS region name: two
// lowercase letters, one or more dash-separated words of lowercase
// letters, and a number of one or two digits, as in "us-east-1" or
// "us-gov-west-1" (the regular expression ^[a-z]{2}(-[a-z]+)+-\d{1,2}$).
func ValidRegion(r string) bool {
	head, r, ok := strings.Cut(r, "-")
	if !ok || len(head) != 2 || !lowerLetters(head) {
		return false
	}
	i := strings.LastIndexByte(r, '-')
	if i < 0 {
		return false
	}
	num := r[i+1:]
	if len(num) < 1 || len(num) > 2 || num[0] < '0' || num[0] > '9' || num[len(num)-1] < '0' || num[len(num)-1] > '9' {
		return false
	}
	for words := r[:i]; ; {
		var w string
		w, words, ok = strings.Cut(words, "-")
		if w == "" || !lowerLetters(w) {
			return false
		}
		if !ok {
			return true
		}
	}
}

func lowerLetters(s string) bool {
	for i := range len(s) {
		if s[i] < 'a' || s[i] > 'z' {
			return false
		}
	}
	return true
}

// FromRequest builds the metadata of an HTTP request. The region comes
// from the SigV4 scope (or the X-Amz-Credential query parameter of a
// presigned request), falling back to defaultRegion.
func FromRequest(r *http.Request, defaultRegion string) *Meta {
	m := new(Meta)
	fill(m, r, defaultRegion)
	return m
}

func fill(m *Meta, r *http.Request, defaultRegion string) {
	*m = Meta{RequestID: NewRequestID(), Region: defaultRegion, Account: DefaultAccount, SourceIP: remoteIP(r)}
	scope, ok := ParseAuthorization(r.Header.Get("Authorization"))
	if !ok {
		if c := r.URL.Query().Get("X-Amz-Credential"); c != "" {
			scope, ok = ParseAuthorization("AWS4-HMAC-SHA256 Credential=" + c)
		}
	}
	if ok {
		m.AccessKey = scope.AccessKey
		m.Service = scope.Service
		if ValidRegion(scope.Region) {
			m.Region = scope.Region
		}
	}
}

func remoteIP(r *http.Request) string {
	h := r.RemoteAddr
	if i := strings.LastIndexByte(h, ':'); i >= 0 {
		h = h[:i]
	}
	return strings.Trim(h, "[]")
}

// NewRequestID returns a random UUID (version 4), as AWS request IDs are.
func NewRequestID() string {
	var b [16]byte
	_, _ = rand.Read(b[:])
	b[6] = b[6]&0x0f | 0x40
	b[8] = b[8]&0x3f | 0x80
	var out [36]byte
	hex.Encode(out[0:8], b[0:4])
	out[8] = '-'
	hex.Encode(out[9:13], b[4:6])
	out[13] = '-'
	hex.Encode(out[14:18], b[6:8])
	out[18] = '-'
	hex.Encode(out[19:23], b[8:10])
	out[23] = '-'
	hex.Encode(out[24:], b[10:])
	return string(out[:])
}
