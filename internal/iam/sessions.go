package iam

import (
	"context"
	"encoding/json"
	"errors"
	"strings"
	"time"

	"github.com/quayside/quayside/internal/fault"
	"github.com/quayside/quayside/internal/policy"
	"github.com/quayside/quayside/internal/store"
)

// Session types.
const (
	SessionAssumedRole = "AssumedRole"
	SessionToken       = "SessionToken"
)

// AssumeRoleInput is what AssumeRole is told.
type AssumeRoleInput struct {
	// Caller is who asks: the account root, or the ARN of an assumed-role
	// session when the request was signed with one.
	Caller      policy.Caller
	RoleARN     string
	SessionName string
	// Duration is the session's length; 0 means an hour.
	Duration time.Duration
	// Policy is an optional session policy.
	Policy string
	Region string
}

// AssumeRole returns temporary credentials for a role whose trust policy
// allows the caller. The caller is refused with AccessDenied, in STS's
// words, when the role does not exist or does not trust it.
func (s *Service) AssumeRole(ctx context.Context, account string, in AssumeRoleInput) (Credentials, error) {
	denied := accessDenied(in.Caller.ID, "sts:AssumeRole", in.RoleARN)
	if in.Policy != "" {
		if _, err := policy.Parse(in.Policy, policy.Identity); err != nil {
			return Credentials{}, malformed(err)
		}
	}
	roleAccount, _, name, ok := ParseRoleARN(in.RoleARN)
	if !ok || roleAccount != account {
		return Credentials{}, denied
	}
	chained := strings.HasPrefix(in.Caller.ID, "arn:aws:sts::")
	if in.Duration == 0 {
		in.Duration = DefaultSessionSeconds * time.Second
	}
	if chained && in.Duration > time.Hour {
		return Credentials{}, fault.New(ErrValidation, "The requested DurationSeconds exceeds the 1 hour session limit for roles assumed by role chaining.")
	}
	c := Credentials{SecretAccessKey: s.ids.SecretAccessKey(), SessionToken: s.ids.SessionToken()}
	err := s.update(ctx, func(tx store.Tx) error {
		r, err := getRole(tx, account, name)
		if err != nil || r.ARN != in.RoleARN {
			if errors.Is(err, ErrNoSuchEntity) || err == nil {
				return denied
			}
			return err
		}
		if ok, err := s.trusts(tx, r, in.Caller); err != nil || !ok {
			if err != nil {
				return err
			}
			return denied
		}
		if in.Duration > time.Duration(r.MaxSessionDuration)*time.Second {
			return fault.New(ErrValidation, "The requested DurationSeconds exceeds the MaxSessionDuration set for this role.")
		}
		now := s.now()
		c.Session = Session{
			AccessKeyID: s.ids.AccessKeyID(), Type: SessionAssumedRole, RoleARN: r.ARN, RoleID: r.ID, Name: in.SessionName,
			ARN:        "arn:aws:sts::" + account + ":assumed-role/" + r.Name + "/" + in.SessionName,
			Expiration: now.Add(in.Duration),
		}
		r.LastUsed, r.LastUsedRegion = now, in.Region
		if err := store.Put(tx, Roles, roleKey(account, name), r); err != nil {
			return err
		}
		return s.putSession(tx, account, c.Session, now)
	})
	return c, err
}

// trusts decides whether the role's trust policy lets the caller assume
// it. A role session trusted only through its account (not named in the
// policy) also needs its own role's permission for sts:AssumeRole.
func (s *Service) trusts(tx store.ReadTx, r Role, caller policy.Caller) (bool, error) {
	doc, err := policy.Parse(r.TrustPolicy, policy.Trust)
	if err != nil {
		return false, fault.Wrap(fault.Internal, err, "stored trust policy does not parse")
	}
	req := policy.Request{Caller: caller, Action: "sts:AssumeRole", Resource: r.ARN}
	if doc.Evaluate(req) != policy.Allowed {
		return false, nil
	}
	source, isSession := policy.AssumedRoleARN(caller.ID)
	if !isSession {
		return true, nil // the account root needs no identity policy
	}
	exact := req
	exact.Caller.Exact = true
	if doc.Evaluate(exact) == policy.Allowed {
		return true, nil
	}
	docs, err := roleDocuments(tx, source)
	if errors.Is(err, ErrNoSuchEntity) {
		return false, nil
	}
	if err != nil {
		return false, err
	}
	idReq := policy.Request{Caller: caller, Action: "sts:AssumeRole", Resource: r.ARN}
	return policy.Evaluate(idReq, docs...) == policy.Allowed, nil
}

// GetSessionToken returns temporary credentials for the caller itself.
// The account root's sessions last at most an hour, as in STS.
func (s *Service) GetSessionToken(ctx context.Context, account string, caller policy.Caller, d time.Duration) (Credentials, error) {
	if _, isSession := policy.AssumedRoleARN(caller.ID); isSession {
		return Credentials{}, fault.New(ErrAccessDenied, "Cannot call GetSessionToken with session credentials")
	}
	if d == 0 || strings.HasSuffix(caller.ID, ":root") && d > time.Hour {
		d = time.Hour
	}
	c := Credentials{SecretAccessKey: s.ids.SecretAccessKey(), SessionToken: s.ids.SessionToken()}
	err := s.update(ctx, func(tx store.Tx) error {
		now := s.now()
		c.Session = Session{AccessKeyID: s.ids.AccessKeyID(), Type: SessionToken, ARN: caller.ID, Expiration: now.Add(d)}
		return s.putSession(tx, account, c.Session, now)
	})
	return c, err
}

// putSession records a session and drops the account's expired ones.
func (s *Service) putSession(tx store.Tx, account string, sess Session, now time.Time) error {
	var expired []string
	err := tx.Scan(Sessions, prefix(account), "", func(key string, b []byte) error {
		var old struct {
			Expiration time.Time `json:"expiration"`
		}
		if err := json.Unmarshal(b, &old); err == nil && !old.Expiration.After(now) {
			expired = append(expired, key)
		}
		return nil
	})
	if err != nil {
		return err
	}
	for _, k := range expired {
		if err := tx.Delete(Sessions, k); err != nil {
			return err
		}
	}
	return store.Put(tx, Sessions, prefix(account)+sess.AccessKeyID, sess)
}

// LookupSession returns the unexpired session an access key belongs to;
// ok is false for keys STS did not hand out (or that have expired).
func (s *Service) LookupSession(ctx context.Context, account, accessKeyID string) (sess Session, ok bool, err error) {
	if !strings.HasPrefix(accessKeyID, prefixTempAccess) {
		return sess, false, nil
	}
	err = s.view(ctx, func(tx store.ReadTx) error {
		sess, err = store.Get[Session](tx, Sessions, prefix(account)+accessKeyID)
		if errors.Is(err, store.ErrNotFound) {
			return nil
		}
		ok = err == nil && sess.Expiration.After(s.now())
		return err
	})
	return sess, ok, err
}
