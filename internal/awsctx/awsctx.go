// Package awsctx carries the metadata of one AWS API request through a
// context: its request ID, the region and access key from the SigV4
// credential scope, the account, and the operation being served.
package awsctx

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"net/http"
	"regexp"
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

var regionRE = regexp.MustCompile(`^[a-z]{2}(-[a-z]+)+-\d{1,2}$`)

// ParseAuthorization reads the credential scope of a SigV4 header:
// "AWS4-HMAC-SHA256 Credential=AKID/20240101/us-east-1/ecs/aws4_request, ...".
// ok is false when the header is absent or not SigV4.
func ParseAuthorization(h string) (s Scope, ok bool) {
	const algo = "AWS4-HMAC-SHA256 "
	if !strings.HasPrefix(h, algo) {
		return s, false
	}
	for _, part := range strings.Split(h[len(algo):], ",") {
		part = strings.TrimSpace(part)
		cred, found := strings.CutPrefix(part, "Credential=")
		if !found {
			continue
		}
		f := strings.Split(cred, "/")
		if len(f) != 5 || f[4] != "aws4_request" {
			return s, false
		}
		return Scope{AccessKey: f[0], Date: f[1], Region: f[2], Service: f[3]}, true
	}
	return s, false
}

// ValidRegion reports whether r looks like an AWS region name.
func ValidRegion(r string) bool { return regionRE.MatchString(r) }

// FromRequest builds the metadata of an HTTP request. The region comes
// from the SigV4 scope (or the X-Amz-Credential query parameter of a
// presigned request), falling back to defaultRegion.
func FromRequest(r *http.Request, defaultRegion string) *Meta {
	m := &Meta{RequestID: NewRequestID(), Region: defaultRegion, Account: DefaultAccount, SourceIP: remoteIP(r)}
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
	return m
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
