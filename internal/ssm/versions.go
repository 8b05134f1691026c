package ssm

import (
	"context"
	"encoding/base64"
	"encoding/json"
	"fmt"
	"strconv"

	"github.com/quayside/quayside/internal/fault"
	"github.com/quayside/quayside/internal/store"
)

// Delete removes a parameter and all its versions.
func (ps *ParameterStore) Delete(ctx context.Context, s Scope, name string) error {
	return ps.st.Update(ctx, func(tx store.Tx) error {
		ok, err := deleteParam(tx, s, name)
		if err == nil && !ok {
			err = fault.New(ErrParameterNotFound, "")
		}
		return err
	})
}

// DeleteMany removes up to ten parameters; names that don't exist are
// returned in invalid.
func (ps *ParameterStore) DeleteMany(ctx context.Context, s Scope, names []string) (deleted, invalid []string, err error) {
	err = ps.st.Update(ctx, func(tx store.Tx) error {
		deleted, invalid = nil, nil
		seen := map[string]bool{}
		for _, n := range names {
			if seen[n] {
				continue
			}
			seen[n] = true
			ok, err := deleteParam(tx, s, n)
			if err != nil {
				return err
			}
			if ok {
				deleted = append(deleted, n)
			} else {
				invalid = append(invalid, n)
			}
		}
		return nil
	})
	return deleted, invalid, err
}

func deleteParam(tx store.Tx, s Scope, name string) (bool, error) {
	_, ok, err := getParam(tx, s, name)
	if err != nil || !ok {
		return false, err
	}
	var keys []string
	err = tx.Scan(Versions, versionsPrefix(s, name), "", func(k string, _ []byte) error {
		keys = append(keys, k)
		return nil
	})
	if err != nil {
		return false, err
	}
	for _, k := range keys {
		if err := tx.Delete(Versions, k); err != nil {
			return false, err
		}
	}
	return true, tx.Delete(Parameters, paramKey(s, name))
}

// History is a page of a parameter's versions, oldest first.
type History struct {
	Scope    Scope // the parameter's (an ARN may name another region)
	Name     string
	Versions []Version
	Labels   map[int64][]string
	Next     string
}

// History lists a parameter's versions, max per page, after a token.
func (ps *ParameterStore) History(ctx context.Context, s Scope, ref string, max int, token string) (History, error) {
	h := History{Labels: map[int64][]string{}}
	r, err := ParseRef(s, ref)
	if err != nil {
		return h, err
	}
	if r.Selector != "" {
		return h, fault.New(ErrParameterNotFound, "")
	}
	after := ""
	if token != "" {
		v, err := decodeToken(token, "h")
		if err != nil {
			return h, err
		}
		after = v
	}
	err = ps.st.View(ctx, func(tx store.ReadTx) error {
		p, ok, err := lookup(tx, r)
		if err != nil {
			return err
		}
		if !ok {
			return fault.New(ErrParameterNotFound, "")
		}
		h.Name, h.Scope = p.Name, r.Scope
		s = r.Scope
		prefix := versionsPrefix(s, p.Name)
		if after != "" {
			after = prefix + after
		}
		more := false
		err = tx.Scan(Versions, prefix, after, func(k string, b []byte) error {
			if len(h.Versions) == max {
				more = true
				return store.ErrStop
			}
			var v Version
			if err := json.Unmarshal(b, &v); err != nil {
				return fmt.Errorf("ssm: decode %s: %w", k, err)
			}
			h.Versions = append(h.Versions, v)
			if l := p.LabelsOf(v.Version); len(l) > 0 {
				h.Labels[v.Version] = l
			}
			return nil
		})
		if more {
			h.Next = encodeToken("h", fmt.Sprintf("%010d", h.Versions[len(h.Versions)-1].Version))
		}
		return err
	})
	return h, err
}

// Label attaches labels to a version (0: the latest). A label already on
// another version moves. Labels that break the naming rules are returned
// in invalid and not attached.
func (ps *ParameterStore) Label(ctx context.Context, s Scope, name string, version int64, labels []string) (int64, []string, error) {
	var invalid []string
	err := ps.st.Update(ctx, func(tx store.Tx) error {
		invalid = nil
		p, v, err := labelTarget(tx, s, name, version)
		if err != nil {
			return err
		}
		version = v
		if p.Labels == nil {
			p.Labels = map[string]int64{}
		}
		var valid []string
		for _, l := range labels {
			if validLabel(l) {
				valid = append(valid, l)
			} else {
				invalid = append(invalid, l)
			}
		}
		count := len(p.LabelsOf(v))
		for _, l := range valid {
			if p.Labels[l] != v {
				count++
			}
		}
		if count > MaxLabelsPerVersion {
			return fault.New(ErrVersionLabelLimitExceeded, msgLabelLimit)
		}
		for _, l := range valid {
			p.Labels[l] = v
		}
		return store.Put(tx, Parameters, paramKey(s, p.Name), p)
	})
	return version, invalid, err
}

// Unlabel removes labels from a version; labels not on it are returned
// in invalid.
func (ps *ParameterStore) Unlabel(ctx context.Context, s Scope, name string, version int64, labels []string) (removed, invalid []string, err error) {
	err = ps.st.Update(ctx, func(tx store.Tx) error {
		removed, invalid = nil, nil
		p, v, err := labelTarget(tx, s, name, version)
		if err != nil {
			return err
		}
		for _, l := range labels {
			if lv, ok := p.Labels[l]; ok && lv == v {
				delete(p.Labels, l)
				removed = append(removed, l)
			} else {
				invalid = append(invalid, l)
			}
		}
		return store.Put(tx, Parameters, paramKey(s, p.Name), p)
	})
	return removed, invalid, err
}

func labelTarget(tx store.ReadTx, s Scope, name string, version int64) (Parameter, int64, error) {
	p, ok, err := getParam(tx, s, name)
	if err != nil {
		return p, 0, err
	}
	if !ok {
		return p, 0, fault.New(ErrParameterNotFound, "")
	}
	if version == 0 {
		return p, p.Latest.Version, nil
	}
	if version != p.Latest.Version {
		if _, ok, err := getVersion(tx, s, name, version); err != nil || !ok {
			if err == nil {
				err = versionNotFound(strconv.FormatInt(version, 10), name)
			}
			return p, 0, err
		}
	}
	return p, version, nil
}

func encodeToken(kind, after string) string {
	return base64.RawURLEncoding.EncodeToString([]byte(kind + ":" + after))
}

func decodeToken(token, kind string) (string, error) {
	b, err := base64.RawURLEncoding.DecodeString(token)
	if err != nil || len(b) < len(kind)+1 || string(b[:len(kind)+1]) != kind+":" {
		return "", fault.New(ErrInvalidNextToken, msgInvalidToken)
	}
	return string(b[len(kind)+1:]), nil
}
