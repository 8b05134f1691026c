package ssm

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/quayside/quayside/internal/fault"
	"github.com/quayside/quayside/internal/secretbox"
	"github.com/quayside/quayside/internal/store"
)

// Table names.
const (
	Parameters = "ssm.parameters"
	Versions   = "ssm.versions"
)

// ParameterStore is Parameter Store over the durable store: every
// operation is one store transaction.
type ParameterStore struct {
	st  store.Store
	box *secretbox.Box
	now func() time.Time
}

// NewParameterStore returns the parameter store. now defaults to time.Now.
func NewParameterStore(st store.Store, box *secretbox.Box, now func() time.Time) *ParameterStore {
	if now == nil {
		now = time.Now
	}
	return &ParameterStore{st: st, box: box, now: func() time.Time { return now().UTC() }}
}

func paramKey(s Scope, name string) string { return s.prefix() + name }

// versionsPrefix is the key prefix of a parameter's versions. Names never
// contain ':', so one name's prefix never covers another's versions.
func versionsPrefix(s Scope, name string) string { return s.prefix() + name + ":" }

func versionKey(s Scope, name string, v int64) string {
	return fmt.Sprintf("%s%010d", versionsPrefix(s, name), v)
}

// getParam reads a parameter record; ok is false when there is none.
func getParam(tx store.ReadTx, s Scope, name string) (p Parameter, ok bool, err error) {
	p, err = store.Get[Parameter](tx, Parameters, paramKey(s, name))
	if errors.Is(err, store.ErrNotFound) {
		return p, false, nil
	}
	return p, err == nil, err
}

func getVersion(tx store.ReadTx, s Scope, name string, v int64) (Version, bool, error) {
	ver, err := store.Get[Version](tx, Versions, versionKey(s, name, v))
	if errors.Is(err, store.ErrNotFound) {
		return ver, false, nil
	}
	return ver, err == nil, err
}

// lookup finds the parameter a reference names: its name, or for an ARN
// either spelling of the name.
func lookup(tx store.ReadTx, r Ref) (Parameter, bool, error) {
	p, ok, err := getParam(tx, r.Scope, r.Name)
	if ok || err != nil || r.Alt == "" {
		return p, ok, err
	}
	return getParam(tx, r.Scope, r.Alt)
}

// selectVersion picks the version a reference's selector names.
func selectVersion(tx store.ReadTx, r Ref, p Parameter) (Version, error) {
	switch {
	case r.Version > 0:
		if r.Version == p.Latest.Version {
			return p.Latest, nil
		}
		v, ok, err := getVersion(tx, r.Scope, p.Name, r.Version)
		if err != nil {
			return v, err
		}
		if !ok {
			return v, versionNotFound(fmt.Sprint(r.Version), p.Name)
		}
		return v, nil
	case r.Label != "":
		lv, ok := p.Labels[r.Label]
		if !ok {
			return Version{}, versionNotFound(r.Label, p.Name)
		}
		if lv == p.Latest.Version {
			return p.Latest, nil
		}
		v, ok, err := getVersion(tx, r.Scope, p.Name, lv)
		if err == nil && !ok {
			err = fmt.Errorf("ssm: label %s of %s points at missing version %d", r.Label, p.Name, lv)
		}
		return v, err
	}
	return p.Latest, nil
}

// Value returns a version's plaintext value, decrypting a SecureString.
// Its error never contains the value.
func (ps *ParameterStore) Value(f Found) (string, error) {
	if f.Version.Type != TypeSecureString {
		return f.Version.Value, nil
	}
	pt, err := ps.box.Open(f.Version.Sealed, aad(f.Scope, f.Name, f.Version.Version))
	if err != nil {
		return "", fault.Wrap(fault.Internal, err, "The parameter value could not be decrypted.")
	}
	return string(pt), nil
}

// Get reads the version a reference selects (latest by default).
func (ps *ParameterStore) Get(ctx context.Context, s Scope, ref string) (Found, error) {
	r, err := ParseRef(s, ref)
	if err != nil {
		return Found{}, err
	}
	var f Found
	err = ps.st.View(ctx, func(tx store.ReadTx) error {
		var err error
		f, err = get(tx, r)
		return err
	})
	return f, err
}

func get(tx store.ReadTx, r Ref) (Found, error) {
	p, ok, err := lookup(tx, r)
	if err != nil {
		return Found{}, err
	}
	if !ok {
		return Found{}, fault.New(ErrParameterNotFound, "")
	}
	v, err := selectVersion(tx, r, p)
	if err != nil {
		return Found{}, err
	}
	return Found{Scope: r.Scope, Name: p.Name, Selector: r.Selector, Version: v}, nil
}

// GetMany reads up to ten references in one snapshot. References that
// don't resolve (no such parameter, version or label, or a malformed
// name) are returned in invalid, as given.
func (ps *ParameterStore) GetMany(ctx context.Context, s Scope, refs []string) (found []Found, invalid []string, err error) {
	seen := map[string]bool{}
	err = ps.st.View(ctx, func(tx store.ReadTx) error {
		found, invalid = nil, nil
		for _, ref := range refs {
			if seen[ref] {
				continue
			}
			seen[ref] = true
			r, err := ParseRef(s, ref)
			if err != nil {
				invalid = append(invalid, ref)
				continue
			}
			f, err := get(tx, r)
			var fe *fault.Error
			switch {
			case errors.As(err, &fe) && fe.Kind != fault.Internal:
				invalid = append(invalid, ref)
			case err != nil:
				return err
			default:
				found = append(found, f)
			}
		}
		return nil
	})
	return found, invalid, err
}
