package store

import (
	"encoding/json"
	"fmt"
)

// Get reads and decodes the JSON record at key.
func Get[T any](tx ReadTx, table, key string) (T, error) {
	var v T
	b, err := tx.Get(table, key)
	if err != nil {
		return v, err
	}
	if err := json.Unmarshal(b, &v); err != nil {
		return v, fmt.Errorf("store: decode %s/%s: %w", table, key, err)
	}
	return v, nil
}

// Put encodes v as JSON and writes it at key.
func Put(tx Tx, table, key string, v any) error {
	b, err := json.Marshal(v)
	if err != nil {
		return fmt.Errorf("store: encode %s/%s: %w", table, key, err)
	}
	return tx.Put(table, key, b)
}

// List decodes every record under prefix, in key order, after `after`,
// stopping after limit records when limit > 0.
func List[T any](tx ReadTx, table, prefix, after string, limit int) ([]T, error) {
	var out []T
	err := tx.Scan(table, prefix, after, func(key string, b []byte) error {
		var v T
		if err := json.Unmarshal(b, &v); err != nil {
			return fmt.Errorf("store: decode %s/%s: %w", table, key, err)
		}
		out = append(out, v)
		if limit > 0 && len(out) >= limit {
			return ErrStop
		}
		return nil
	})
	return out, err
}
