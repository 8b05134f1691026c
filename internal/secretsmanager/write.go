package secretsmanager

import (
	"bytes"
	"context"
	"slices"

	"github.com/quayside/quayside/internal/fault"
	"github.com/quayside/quayside/internal/store"
)

// CreateInput is a CreateSecret request.
type CreateInput struct {
	Name, Description, KmsKeyID, Type string
	Token                             string // ClientRequestToken: the first version's ID
	Value                             Value
	Tags                              []Tag
	Replicas                          []Replica
}

// Written says what a write did.
type Written struct {
	Secret    Secret
	VersionID string // "" when no version was created
	Stages    []string
}

func checkValue(v Value) error {
	if v.String != nil && v.Binary != nil {
		return fault.New(ErrInvalidParameter, msgBothValues)
	}
	return nil
}

// Create creates a secret, with a first version when a value is given.
// Repeating a create with the same token and value is not an error, as
// in AWS.
func (m *Manager) Create(ctx context.Context, s Scope, in CreateInput) (Written, error) {
	if err := ValidateName(in.Name); err != nil {
		return Written{}, err
	}
	if err := checkValue(in.Value); err != nil {
		return Written{}, err
	}
	if err := checkTags(in.Tags); err != nil {
		return Written{}, err
	}
	suffix, err := m.randomString(alphanumerics, 6)
	if err != nil {
		return Written{}, err
	}
	id := in.Token
	if id == "" && !in.Value.empty() {
		if id, err = m.newVersionID(); err != nil {
			return Written{}, err
		}
	}
	var w Written
	err = m.st.Update(ctx, func(tx store.Tx) error {
		old, ok, err := getSecret(tx, s, in.Name)
		switch {
		case err != nil:
			return err
		case ok && old.Scheduled() && m.now().Before(old.DeletionDate):
			return fault.New(ErrInvalidRequest, msgScheduled)
		case ok && !old.Scheduled():
			return m.repeatCreate(tx, s, &old, in, &w)
		case ok: // past its recovery window, awaiting the sweep
			if err := purge(tx, s, &old); err != nil {
				return err
			}
		}
		now := m.now()
		sec := Secret{Name: in.Name, ARN: arnPrefix(s) + in.Name + "-" + suffix, Description: in.Description,
			KmsKeyID: in.KmsKeyID, Type: in.Type, Tags: in.Tags, Created: now, LastChanged: now,
			Versions: map[string]*Version{}, Replicas: in.Replicas}
		w = Written{}
		if !in.Value.empty() {
			if err := m.addVersion(tx, s, &sec, id, in.Value, []string{StageCurrent}); err != nil {
				return err
			}
			w.VersionID, w.Stages = id, []string{StageCurrent}
		}
		w.Secret = sec
		return store.Put(tx, Secrets, secretKey(s, sec.Name), sec)
	})
	return w, err
}

// repeatCreate answers a CreateSecret for a name that exists: success if
// it repeats the create that made the secret (same token and value).
func (m *Manager) repeatCreate(tx store.Tx, s Scope, sec *Secret, in CreateInput, w *Written) error {
	if in.Token == "" || sec.Versions[in.Token] == nil {
		return exists(in.Name)
	}
	if same, err := m.sameValue(tx, s, sec, in.Token, in.Value); err != nil || !same {
		if err == nil {
			err = exists(in.Name)
		}
		return err
	}
	*w = Written{Secret: *sec, VersionID: in.Token, Stages: sec.Versions[in.Token].Stages}
	return nil
}

func (m *Manager) sameValue(tx store.ReadTx, s Scope, sec *Secret, id string, v Value) (bool, error) {
	old, err := m.readValue(tx, s, sec, id)
	if err != nil {
		return false, err
	}
	if (old.String == nil) != (v.String == nil) {
		return false, nil
	}
	return bytes.Equal(old.bytes(), v.bytes()), nil
}

// addVersion stores a new version's value and attaches its labels.
func (m *Manager) addVersion(tx store.Tx, s Scope, sec *Secret, id string, v Value, stages []string) error {
	if len(stages) > MaxStagesPerVer {
		return fault.New(ErrLimitExceeded, msgTooManyStages)
	}
	sec.NextSeq++
	sec.Versions[id] = &Version{ID: id, Seq: sec.NextSeq, Created: m.now(), Binary: v.String == nil}
	if err := m.putValue(tx, s, sec, id, v); err != nil {
		return err
	}
	for _, st := range stages {
		sec.stage(id, st)
	}
	sec.LastChanged = m.now()
	return deleteValues(tx, s, sec, sec.prune())
}

// PutInput is a PutSecretValue request, or the value part of UpdateSecret.
type PutInput struct {
	SecretID string
	Token    string
	Value    Value
	Stages   []string // default AWSCURRENT
}

// PutValue adds a version. A repeated token with the same value is a
// no-op; with another value it is an error, as versions never change.
func (m *Manager) PutValue(ctx context.Context, s Scope, in PutInput) (Written, error) {
	if in.Value.empty() {
		return Written{}, fault.New(ErrInvalidRequest, msgNoValue)
	}
	if err := checkValue(in.Value); err != nil {
		return Written{}, err
	}
	var w Written
	err := m.st.Update(ctx, func(tx store.Tx) error {
		sec, err := m.live(tx, s, in.SecretID)
		if err != nil {
			return err
		}
		w, err = m.putVersion(tx, s, &sec, in)
		if err != nil {
			return err
		}
		return store.Put(tx, Secrets, secretKey(s, sec.Name), sec)
	})
	return w, err
}

func (m *Manager) putVersion(tx store.Tx, s Scope, sec *Secret, in PutInput) (Written, error) {
	id := in.Token
	if id == "" {
		var err error
		if id, err = m.newVersionID(); err != nil {
			return Written{}, err
		}
	}
	if v := sec.Versions[id]; v != nil {
		same, err := m.sameValue(tx, s, sec, id, in.Value)
		if err != nil {
			return Written{}, err
		}
		if !same {
			return Written{}, fault.New(ErrResourceExists, msgVersionExists)
		}
		return Written{Secret: *sec, VersionID: id, Stages: v.Stages}, nil
	}
	stages := in.Stages
	if len(stages) == 0 {
		stages = []string{StageCurrent}
	}
	if err := m.addVersion(tx, s, sec, id, in.Value, slices.Compact(slices.Sorted(slices.Values(stages)))); err != nil {
		return Written{}, err
	}
	return Written{Secret: *sec, VersionID: id, Stages: sec.Versions[id].Stages}, nil
}

// UpdateInput is an UpdateSecret request; nil fields are unchanged.
type UpdateInput struct {
	SecretID    string
	Token       string
	Description *string
	KmsKeyID    *string
	Type        *string
	Value       Value
}

// Update changes a secret's metadata and, when a value is given, adds a
// version that becomes AWSCURRENT.
func (m *Manager) Update(ctx context.Context, s Scope, in UpdateInput) (Written, error) {
	if err := checkValue(in.Value); err != nil {
		return Written{}, err
	}
	var w Written
	err := m.st.Update(ctx, func(tx store.Tx) error {
		sec, err := m.live(tx, s, in.SecretID)
		if err != nil {
			return err
		}
		if in.Description != nil {
			sec.Description = *in.Description
		}
		if in.KmsKeyID != nil {
			sec.KmsKeyID = *in.KmsKeyID
		}
		if in.Type != nil {
			sec.Type = *in.Type
		}
		sec.LastChanged = m.now()
		w = Written{Secret: sec}
		if !in.Value.empty() {
			if w, err = m.putVersion(tx, s, &sec, PutInput{Token: in.Token, Value: in.Value}); err != nil {
				return err
			}
		}
		return store.Put(tx, Secrets, secretKey(s, sec.Name), sec)
	})
	return w, err
}
