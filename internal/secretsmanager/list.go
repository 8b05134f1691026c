package secretsmanager

import (
	"context"
	"encoding/base64"
	"encoding/json"
	"fmt"
	"sort"
	"strconv"
	"strings"
	"unicode"

	"github.com/quayside/quayside/internal/fault"
	"github.com/quayside/quayside/internal/store"
)

// Filter is a ListSecrets (or BatchGetSecretValue) filter. A value that
// begins with '!' negates.
type Filter struct {
	Key    string
	Values []string
}

// ListQuery is a ListSecrets request.
type ListQuery struct {
	Filters                []Filter
	IncludePlannedDeletion bool
	SortBy                 string // created-date (default), last-accessed-date, last-changed-date, name
	SortOrder              string // asc (default) or desc
	Max                    int
	Token                  string
}

// List lists secrets, one page at a time. Filters are ANDed; a filter
// matches when any of its plain values matches and none of its negated
// values does.
func (m *Manager) List(ctx context.Context, s Scope, q ListQuery) ([]Secret, string, error) {
	off, err := decodeOffset(q.Token)
	if err != nil {
		return nil, "", err
	}
	var all []Secret
	now := m.now()
	err = m.view(ctx, func(tx store.ReadTx) error {
		all = nil
		return tx.Scan(Secrets, s.prefix(), "", func(k string, b []byte) error {
			var sec Secret
			if err := json.Unmarshal(b, &sec); err != nil {
				return fmt.Errorf("secretsmanager: decode %s: %w", k, err)
			}
			if sec.Scheduled() && (!q.IncludePlannedDeletion || !now.Before(sec.DeletionDate)) {
				return nil
			}
			if matches(&sec, s, q.Filters) {
				all = append(all, sec)
			}
			return nil
		})
	})
	if err != nil {
		return nil, "", err
	}
	sortSecrets(all, q.SortBy, q.SortOrder == "desc")
	page, next := pageOf(all, off, q.Max)
	return page, next, nil
}

func sortSecrets(all []Secret, by string, desc bool) {
	less := func(a, b *Secret) bool {
		switch by {
		case "name":
			return a.Name < b.Name
		case "last-accessed-date":
			return a.LastAccessed.Before(b.LastAccessed)
		case "last-changed-date":
			return a.LastChanged.Before(b.LastChanged)
		}
		return a.Created.Before(b.Created)
	}
	sort.SliceStable(all, func(i, j int) bool {
		if desc {
			return less(&all[j], &all[i])
		}
		return less(&all[i], &all[j])
	})
}

func matches(sec *Secret, s Scope, filters []Filter) bool {
	for _, f := range filters {
		pos, any := false, false
		for _, v := range f.Values {
			if neg, ok := strings.CutPrefix(v, "!"); ok {
				if matchKey(sec, s, f.Key, neg) {
					return false
				}
				continue
			}
			any = true
			pos = pos || matchKey(sec, s, f.Key, v)
		}
		if any && !pos {
			return false
		}
	}
	return true
}

func matchKey(sec *Secret, s Scope, key, v string) bool {
	switch key {
	case "name":
		return strings.HasPrefix(sec.Name, v)
	case "description":
		return wordPrefix(sec.Description, v)
	case "tag-key":
		for _, t := range sec.Tags {
			if strings.HasPrefix(t.Key, v) {
				return true
			}
		}
	case "tag-value":
		for _, t := range sec.Tags {
			if strings.HasPrefix(t.Value, v) {
				return true
			}
		}
	case "primary-region":
		return strings.HasPrefix(s.Region, v)
	case "all":
		attrs := []string{sec.Name, sec.Description}
		for _, t := range sec.Tags {
			attrs = append(attrs, t.Key, t.Value)
		}
		for _, w := range words(v) {
			for _, a := range attrs {
				for _, aw := range words(a) {
					if strings.HasPrefix(aw, w) {
						return true
					}
				}
			}
		}
	}
	return false // owning-service: Quayside's secrets have no owning service
}

// wordPrefix reports, case-insensitively, whether text or one of its
// words begins with v.
func wordPrefix(text, v string) bool {
	text, v = strings.ToLower(text), strings.ToLower(v)
	if strings.HasPrefix(text, v) {
		return true
	}
	for _, w := range strings.Fields(text) {
		if strings.HasPrefix(w, v) {
			return true
		}
	}
	return false
}

// words splits text into lower-case words at punctuation, spaces, and
// changes between lower and upper case, letters and digits, as the
// "all" filter does ("credsDatabase#892" is creds, database, 892).
func words(text string) []string {
	var out []string
	var cur []rune
	flush := func() {
		if len(cur) > 0 {
			out = append(out, strings.ToLower(string(cur)))
			cur = cur[:0]
		}
	}
	var prev rune
	for _, r := range text {
		switch {
		case !unicode.IsLetter(r) && !unicode.IsDigit(r):
			flush()
		case len(cur) > 0 && (unicode.IsLower(prev) && unicode.IsUpper(r) || unicode.IsDigit(prev) != unicode.IsDigit(r)):
			flush()
			cur = append(cur, r)
		default:
			cur = append(cur, r)
		}
		prev = r
	}
	flush()
	return out
}

// pageOf returns the page at offset off of at most max items, and the
// token of the next page ("" at the end).
func pageOf[T any](all []T, off, max int) ([]T, string) {
	if off > len(all) {
		off = len(all)
	}
	end := len(all)
	if max > 0 && off+max < end {
		end = off + max
	}
	next := ""
	if end < len(all) {
		next = base64.RawURLEncoding.EncodeToString([]byte("o:" + strconv.Itoa(end)))
	}
	return all[off:end], next
}

func decodeOffset(token string) (int, error) {
	if token == "" {
		return 0, nil
	}
	b, err := base64.RawURLEncoding.DecodeString(token)
	if err == nil {
		if n, ok := strings.CutPrefix(string(b), "o:"); ok {
			if off, err := strconv.Atoi(n); err == nil && off >= 0 {
				return off, nil
			}
		}
	}
	return 0, fault.New(ErrInvalidNextToken, msgInvalidToken)
}
