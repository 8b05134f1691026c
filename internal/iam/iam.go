package iam

import (
	"context"
	"encoding/base64"
	"errors"
	"io"
	"regexp"
	"sort"
	"strings"
	"time"

	"github.com/quayside/quayside/internal/fault"
	"github.com/quayside/quayside/internal/store"
)

// Table names.
const (
	Roles        = "iam.roles"
	RolePolicies = "iam.rolepolicies"
	Policies     = "iam.policies"
	Sessions     = "iam.sessions"
)

// Options configure the service.
type Options struct {
	Now  func() time.Time // default time.Now
	Rand io.Reader        // default crypto/rand
}

// Service is IAM over the durable store: every operation is one store
// transaction.
type Service struct {
	st  store.Store
	now func() time.Time
	ids *IDs
}

// New returns IAM over a store.
func New(st store.Store, o Options) *Service {
	now := o.Now
	if now == nil {
		now = time.Now
	}
	return &Service{st: st, now: func() time.Time { return now().UTC().Truncate(time.Second) }, ids: NewIDs(o.Rand)}
}

// prefix is the key prefix of an account's IAM records.
func prefix(account string) string { return "global/" + account + "/" }

func roleKey(account, name string) string { return prefix(account) + strings.ToLower(name) }

func inlinePrefix(account, role string) string { return roleKey(account, role) + "/" }

func policyKey(account, name string) string { return prefix(account) + strings.ToLower(name) }

func roleARN(account, path, name string) string {
	return "arn:aws:iam::" + account + ":role" + path + name
}

func policyARN(account, path, name string) string {
	return "arn:aws:iam::" + account + ":policy" + path + name
}

var (
	pathRE      = regexp.MustCompile(`^(/|/[\x21-\x7E]+/)$`)
	policyARNRE = regexp.MustCompile(`^arn:aws:iam::(\d{12}|aws):policy(/|/[\x21-\x7E]*/)([\w+=,.@-]+)$`)
	roleARNRE   = regexp.MustCompile(`^arn:aws:iam::(\d{12}):role(/|/[\x21-\x7E]*/)([\w+=,.@-]+)$`)
)

func checkPath(p string) error {
	if !pathRE.MatchString(p) {
		return invalidPath()
	}
	return nil
}

// ParsePolicyARN splits a managed policy ARN into its account ("aws" for
// AWS managed policies), path and name.
func ParsePolicyARN(arn string) (account, path, name string, err error) {
	m := policyARNRE.FindStringSubmatch(arn)
	if m == nil {
		return "", "", "", invalidARN(arn)
	}
	return m[1], m[2], m[3], nil
}

// ParseRoleARN splits a role ARN into its account, path and name.
func ParseRoleARN(arn string) (account, path, name string, ok bool) {
	m := roleARNRE.FindStringSubmatch(arn)
	if m == nil {
		return "", "", "", false
	}
	return m[1], m[2], m[3], true
}

// getRole reads a role; its error is NoSuchEntity when there is none.
func getRole(tx store.ReadTx, account, name string) (Role, error) {
	r, err := store.Get[Role](tx, Roles, roleKey(account, name))
	if errors.Is(err, store.ErrNotFound) {
		return r, noSuchRole(name)
	}
	return r, err
}

// getPolicy reads a managed policy by ARN, built-in ones included; its
// error is NoSuchEntity (notFound builds it) when there is none.
func getPolicy(tx store.ReadTx, account, arn string, notFound func(string) error) (ManagedPolicy, error) {
	acct, path, name, err := ParsePolicyARN(arn)
	if err != nil {
		return ManagedPolicy{}, err
	}
	if acct == AWSAccount {
		p, ok := awsManaged[arn]
		if !ok {
			return p, notFound(arn)
		}
		return p, nil
	}
	if acct != account {
		return ManagedPolicy{}, notFound(arn)
	}
	p, err := store.Get[ManagedPolicy](tx, Policies, policyKey(account, name))
	if errors.Is(err, store.ErrNotFound) || err == nil && p.Path != path {
		return p, notFound(arn)
	}
	return p, err
}

// attachments counts, per policy ARN, the account's roles that attach it.
func attachments(tx store.ReadTx, account string) (map[string]int, error) {
	out := map[string]int{}
	roles, err := store.List[Role](tx, Roles, prefix(account), "", 0)
	for _, r := range roles {
		for _, a := range r.Attached {
			out[a]++
		}
	}
	return out, err
}

// page returns up to max items after the marker, and the marker of the
// next page ("" when this is the last). Markers are opaque to clients:
// the sort key of the last item returned.
func page[T any](items []T, key func(T) string, marker string, max int) ([]T, string, error) {
	if max <= 0 {
		max = 100
	}
	start := 0
	if marker != "" {
		b, err := base64.RawURLEncoding.DecodeString(marker)
		if err != nil {
			return nil, "", fault.New(ErrInvalidInput, "Invalid Marker.")
		}
		after := string(b)
		start = sort.Search(len(items), func(i int) bool { return key(items[i]) > after })
	}
	end := min(start+max, len(items))
	next := ""
	if end < len(items) {
		next = base64.RawURLEncoding.EncodeToString([]byte(key(items[end-1])))
	}
	return items[start:end], next, nil
}

func (s *Service) view(ctx context.Context, fn func(store.ReadTx) error) error {
	return s.st.View(ctx, fn)
}

func (s *Service) update(ctx context.Context, fn func(store.Tx) error) error {
	return s.st.Update(ctx, fn)
}
