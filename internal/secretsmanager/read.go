package secretsmanager

import (
	"context"
	"slices"
	"sort"
	"time"

	"github.com/quayside/quayside/internal/fault"
	"github.com/quayside/quayside/internal/store"
)

// Got is a secret value as GetSecretValue returns it.
type Got struct {
	ARN, Name, VersionID string
	Value                Value
	Stages               []string
	Created              time.Time
}

// GetValue reads a version's value: by ID, by staging label, or
// AWSCURRENT. Reading marks the secret and version accessed today.
func (m *Manager) GetValue(ctx context.Context, s Scope, secretID, versionID, stage string) (Got, error) {
	var g Got
	var stale bool
	err := m.view(ctx, func(tx store.ReadTx) error {
		var err error
		g, stale, err = m.getValue(tx, s, secretID, versionID, stage)
		return err
	})
	if err == nil && stale {
		m.markAccessed(ctx, s, g.Name, g.VersionID)
	}
	return g, err
}

func (m *Manager) getValue(tx store.ReadTx, s Scope, secretID, versionID, stage string) (Got, bool, error) {
	sec, err := m.live(tx, s, secretID)
	if err != nil {
		return Got{}, false, err
	}
	id, err := pick(&sec, versionID, stage)
	if err != nil {
		return Got{}, false, err
	}
	v, err := m.readValue(tx, s, &sec, id)
	if err != nil {
		return Got{}, false, err
	}
	ver := sec.Versions[id]
	today := day(m.now())
	stale := !sec.LastAccessed.Equal(today) || !ver.LastAccessed.Equal(today)
	return Got{ARN: sec.ARN, Name: sec.Name, VersionID: id, Value: v, Stages: slices.Clone(ver.Stages), Created: ver.Created}, stale, nil
}

// pick chooses the version a request names.
func pick(sec *Secret, versionID, stage string) (string, error) {
	if versionID != "" {
		v := sec.Versions[versionID]
		if v == nil {
			return "", noVersion(versionID)
		}
		if stage != "" && !slices.Contains(v.Stages, stage) {
			return "", fault.New(ErrInvalidRequest, msgStageMismatch)
		}
		return versionID, nil
	}
	if stage == "" {
		stage = StageCurrent
	}
	id := sec.Holder(stage)
	if id == "" {
		return "", noStage(stage)
	}
	return id, nil
}

func day(t time.Time) time.Time {
	y, mo, d := t.UTC().Date()
	return time.Date(y, mo, d, 0, 0, 0, 0, time.UTC)
}

// markAccessed records today as the last access of a secret and version.
// It writes at most once a day per version, so reads stay reads. A
// failure is not the reader's problem: the date is advisory.
func (m *Manager) markAccessed(ctx context.Context, s Scope, name, id string) {
	today := day(m.now())
	_ = m.st.Update(ctx, func(tx store.Tx) error {
		sec, ok, err := getSecret(tx, s, name)
		if err != nil || !ok {
			return err
		}
		sec.LastAccessed = today
		if v := sec.Versions[id]; v != nil {
			v.LastAccessed = today
		}
		return store.Put(tx, Secrets, secretKey(s, name), sec)
	})
}

// BatchResult is one secret of a BatchGetSecretValue: its value or error.
type BatchResult struct {
	SecretID string
	Got      Got
	Err      error
}

// BatchGet reads the AWSCURRENT values of the named secrets; each
// failure is reported in its result, not as the call's error.
func (m *Manager) BatchGet(ctx context.Context, s Scope, ids []string) ([]BatchResult, error) {
	out := make([]BatchResult, 0, len(ids))
	var stale []Got
	err := m.view(ctx, func(tx store.ReadTx) error {
		out, stale = out[:0], nil
		for _, id := range ids {
			g, st, err := m.getValue(tx, s, id, "", "")
			if err != nil && !isFault(err) {
				return err
			}
			if st {
				stale = append(stale, g)
			}
			out = append(out, BatchResult{SecretID: id, Got: g, Err: err})
		}
		return nil
	})
	for _, g := range stale {
		m.markAccessed(ctx, s, g.Name, g.VersionID)
	}
	return out, err
}

func isFault(err error) bool {
	_, ok := fault.Message(err)
	return ok
}

// Describe returns a secret's record; it works on secrets marked for
// deletion too.
func (m *Manager) Describe(ctx context.Context, s Scope, secretID string) (Secret, error) {
	var sec Secret
	err := m.view(ctx, func(tx store.ReadTx) error {
		var err error
		sec, err = m.find(tx, s, secretID)
		return err
	})
	return sec, err
}

// VersionPage is a page of ListSecretVersionIds.
type VersionPage struct {
	Secret   Secret
	Versions []*Version
	Next     string
}

// ListVersions lists a secret's versions, newest first; versions without
// a label only with includeDeprecated.
func (m *Manager) ListVersions(ctx context.Context, s Scope, secretID string, includeDeprecated bool, max int, token string) (VersionPage, error) {
	var p VersionPage
	off, err := decodeOffset(token)
	if err != nil {
		return p, err
	}
	err = m.view(ctx, func(tx store.ReadTx) error {
		sec, err := m.live(tx, s, secretID)
		if err != nil {
			return err
		}
		p.Secret = sec
		var all []*Version
		for _, v := range sec.Ordered() {
			if includeDeprecated || len(v.Stages) > 0 {
				all = append(all, v)
			}
		}
		p.Versions, p.Next = pageOf(all, off, max)
		return nil
	})
	return p, err
}

// Stages returns a version's labels sorted, for stable output.
func Stages(v *Version) []string {
	out := slices.Clone(v.Stages)
	sort.Strings(out)
	return out
}
