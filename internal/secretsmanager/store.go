package secretsmanager

import (
	"context"
	"crypto/rand"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"strings"
	"time"

	"github.com/quayside/quayside/internal/fault"
	"github.com/quayside/quayside/internal/secretbox"
	"github.com/quayside/quayside/internal/store"
)

// Table names.
const (
	Secrets   = "secretsmanager.secrets"
	Values    = "secretsmanager.values"
	Deletions = "secretsmanager.deletions"
)

// Options configure a Manager.
type Options struct {
	Now  func() time.Time // default time.Now
	Rand io.Reader        // for ARN suffixes, version IDs and passwords; default crypto/rand
	Log  *slog.Logger     // for the purge sweep's failures; default discard
}

// Manager is Secrets Manager over the durable store: every operation is
// one store transaction.
type Manager struct {
	st   store.Store
	box  *secretbox.Box
	now  func() time.Time
	rand io.Reader
	log  *slog.Logger
}

// New returns a manager.
func New(st store.Store, box *secretbox.Box, o Options) *Manager {
	if o.Now == nil {
		o.Now = time.Now
	}
	if o.Rand == nil {
		o.Rand = rand.Reader
	}
	if o.Log == nil {
		o.Log = slog.New(slog.DiscardHandler)
	}
	return &Manager{st: st, box: box, now: func() time.Time { return o.Now().UTC() }, rand: o.Rand, log: o.Log}
}

func secretKey(s Scope, name string) string { return s.prefix() + name }

// Secret names never contain ':', so one secret's value prefix never
// covers another's.
func valuesPrefix(s Scope, name string) string { return s.prefix() + name + ":" }

func valueKey(s Scope, name, id string) string { return valuesPrefix(s, name) + id }

func deletionKey(s Scope, name string, at time.Time) string {
	return at.UTC().Format("20060102T150405.000000000Z") + "/" + s.prefix() + name
}

func getSecret(tx store.ReadTx, s Scope, name string) (Secret, bool, error) {
	sec, err := store.Get[Secret](tx, Secrets, secretKey(s, name))
	if errors.Is(err, store.ErrNotFound) {
		return sec, false, nil
	}
	return sec, err == nil, err
}

// find resolves a SecretId as AWS does: a name, a full ARN, or a partial
// ARN (without the random suffix). A secret whose recovery window has
// passed no longer exists, even before the purge sweep removes it.
func (m *Manager) find(tx store.ReadTx, s Scope, id string) (Secret, error) {
	sec, ok, err := m.lookup(tx, s, id)
	if err != nil {
		return sec, err
	}
	if !ok || sec.Scheduled() && !m.now().Before(sec.DeletionDate) {
		return sec, notFound()
	}
	return sec, nil
}

func (m *Manager) lookup(tx store.ReadTx, s Scope, id string) (Secret, bool, error) {
	if !strings.HasPrefix(id, "arn:") {
		if ValidateName(id) != nil {
			return Secret{}, false, fault.New(ErrValidation, msgBadName)
		}
		return getSecret(tx, s, id)
	}
	name, ok := strings.CutPrefix(id, arnPrefix(s))
	if !ok {
		if strings.Count(id, ":") < 6 || !strings.Contains(id, ":secretsmanager:") {
			return Secret{}, false, fault.New(ErrValidation, msgBadName)
		}
		return Secret{}, false, nil // another region or account
	}
	if i := len(name) - 7; i > 0 && name[i] == '-' && alnum(name[i+1:]) {
		sec, ok, err := getSecret(tx, s, name[:i])
		if err != nil || ok && sec.ARN == id {
			return sec, ok, err
		}
	}
	return getSecret(tx, s, name)
}

func alnum(s string) bool {
	for _, r := range s {
		if !(r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z' || r >= '0' && r <= '9') {
			return false
		}
	}
	return true
}

// live is find for operations a secret marked for deletion refuses.
func (m *Manager) live(tx store.ReadTx, s Scope, id string) (Secret, error) {
	sec, err := m.find(tx, s, id)
	if err == nil && sec.Scheduled() {
		return sec, markedDeleted()
	}
	return sec, err
}

// Value is a secret value: a string or bytes.
type Value struct {
	String *string
	Binary []byte
}

func (v Value) empty() bool { return v.String == nil && v.Binary == nil }

func (v Value) bytes() []byte {
	if v.String != nil {
		return []byte(*v.String)
	}
	return v.Binary
}

func aad(sec *Secret, id string, binary bool) []byte {
	kind := "string"
	if binary {
		kind = "binary"
	}
	return secretbox.AAD("secretsmanager", sec.ARN, id, kind)
}

func (m *Manager) putValue(tx store.Tx, s Scope, sec *Secret, id string, v Value) error {
	sealed, err := m.box.Seal(v.bytes(), aad(sec, id, v.String == nil))
	if err != nil {
		return fault.Wrap(ErrEncryption, err, msgEncryption)
	}
	return tx.Put(Values, valueKey(s, sec.Name, id), sealed)
}

func (m *Manager) readValue(tx store.ReadTx, s Scope, sec *Secret, id string) (Value, error) {
	ver := sec.Versions[id]
	sealed, err := tx.Get(Values, valueKey(s, sec.Name, id))
	if err != nil {
		return Value{}, fmt.Errorf("secretsmanager: value of %s version %s: %w", sec.Name, id, err)
	}
	pt, err := m.box.Open(sealed, aad(sec, id, ver.Binary))
	if err != nil {
		return Value{}, fault.Wrap(ErrDecryption, err, msgDecryption)
	}
	if ver.Binary {
		return Value{Binary: pt}, nil
	}
	str := string(pt)
	return Value{String: &str}, nil
}

// deleteValues removes the values of the given versions.
func deleteValues(tx store.Tx, s Scope, sec *Secret, ids []string) error {
	for _, id := range ids {
		if err := tx.Delete(Values, valueKey(s, sec.Name, id)); err != nil {
			return err
		}
	}
	return nil
}

const alphanumerics = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789"

// randomString draws n characters from set, uniformly.
func (m *Manager) randomString(set string, n int) (string, error) {
	out := make([]byte, n)
	var b [1]byte
	limit := 256 - 256%len(set)
	for i := 0; i < n; {
		if _, err := io.ReadFull(m.rand, b[:]); err != nil {
			return "", err
		}
		if int(b[0]) < limit {
			out[i] = set[int(b[0])%len(set)]
			i++
		}
	}
	return string(out), nil
}

// newVersionID returns a random UUID, as the SDKs send for tokens.
func (m *Manager) newVersionID() (string, error) {
	var b [16]byte
	if _, err := io.ReadFull(m.rand, b[:]); err != nil {
		return "", err
	}
	b[6] = b[6]&0x0f | 0x40
	b[8] = b[8]&0x3f | 0x80
	return fmt.Sprintf("%x-%x-%x-%x-%x", b[0:4], b[4:6], b[6:8], b[8:10], b[10:]), nil
}

func (m *Manager) view(ctx context.Context, fn func(store.ReadTx) error) error {
	return m.st.View(ctx, fn)
}
