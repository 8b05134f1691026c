package boltstore

import (
	"bufio"
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	bolt "go.etcd.io/bbolt"

	"github.com/quayside/quayside/internal/store"
)

// crashWriterEnv switches the test binary into writer mode (see TestMain):
// its value is the data dir to write to.
const crashWriterEnv = "QUAYSIDE_BOLTSTORE_CRASH_WRITER"

// crashWriter commits a stream of keys from several goroutines, so that
// commits are grouped, and prints "ack <key>" after each Update returns.
// It runs until it is killed, or for a minute at most.
func crashWriter(dir string) {
	s, err := Open(filepath.Join(dir, "quayside.db"), Options{})
	if err != nil {
		fmt.Fprintln(os.Stderr, "writer:", err)
		os.Exit(2)
	}
	deadline := time.Now().Add(time.Minute)
	filler := bytes.Repeat([]byte("x"), 700) // values that split pages
	var wg sync.WaitGroup
	for w := range 8 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := 0; time.Now().Before(deadline); i++ {
				key := fmt.Sprintf("%d/w%d/%06d", os.Getpid(), w, i)
				err := s.Update(context.Background(), func(tx store.Tx) error {
					if err := tx.Put("crash", key, append([]byte(key), filler...)); err != nil {
						return err
					}
					// Churn a hot key so freed pages are reused.
					return tx.Put("crash.churn", fmt.Sprint(w), filler[:i%len(filler)])
				})
				if err != nil {
					fmt.Fprintln(os.Stderr, "writer:", err)
					os.Exit(2)
				}
				// One write per line: pipe writes this small are atomic.
				fmt.Fprintf(os.Stdout, "ack %s\n", key)
			}
		}()
	}
	wg.Wait()
	os.Exit(3) // the parent should have killed us long before
}

// runAndKill starts a writer on dir, kills it with SIGKILL after it has
// acknowledged at least n keys, and returns every key it acknowledged.
func runAndKill(t *testing.T, dir string, n int) []string {
	t.Helper()
	cmd := exec.Command(os.Args[0], "-test.run=^$")
	cmd.Env = append(os.Environ(), crashWriterEnv+"="+dir)
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	stdout, err := cmd.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	watchdog := time.AfterFunc(time.Minute, func() { cmd.Process.Kill() })
	defer watchdog.Stop()

	var acked []string
	r := bufio.NewReader(stdout)
	for {
		line, err := r.ReadString('\n')
		if err == io.EOF {
			break // a line cut short by the kill is not an acknowledgement
		}
		if err != nil {
			t.Fatalf("read writer output: %v", err)
		}
		acked = append(acked, strings.TrimSuffix(strings.TrimPrefix(line, "ack "), "\n"))
		if len(acked) == n {
			if err := cmd.Process.Kill(); err != nil {
				t.Fatal(err)
			}
		}
	}
	err = cmd.Wait()
	if ws := cmd.ProcessState; ws == nil || ws.ExitCode() != -1 {
		t.Fatalf("writer was not killed: %v\n%s", err, stderr.String())
	}
	if len(acked) < n {
		t.Fatalf("writer acknowledged %d keys before dying, want %d\n%s", len(acked), n, stderr.String())
	}
	return acked
}

// TestCrashDurability kills a writing process several times and checks
// that every acknowledged write survives and the file stays consistent.
func TestCrashDurability(t *testing.T) {
	if testing.Short() {
		t.Skip("spawns writer processes")
	}
	dir := t.TempDir()
	path := filepath.Join(dir, "quayside.db")
	var all []string
	for round := range 3 {
		acked := runAndKill(t, dir, 150)
		all = append(all, acked...)

		s, err := Open(path, Options{})
		if err != nil {
			t.Fatalf("round %d: reopen after SIGKILL: %v", round, err)
		}
		err = s.View(context.Background(), func(tx store.ReadTx) error {
			for _, key := range all {
				v, err := tx.Get("crash", key)
				if err != nil {
					return fmt.Errorf("acknowledged key %s: %w", key, err)
				}
				if !bytes.HasPrefix(v, []byte(key)) {
					return fmt.Errorf("acknowledged key %s has value %.40q", key, v)
				}
			}
			if rev := tx.Revision(); rev < int64(len(all)) {
				return fmt.Errorf("revision %d below %d acknowledged commits", rev, len(all))
			}
			return nil
		})
		if err != nil {
			t.Fatalf("round %d (%d keys acknowledged): %v", round, len(all), err)
		}
		if err := s.db.View(func(tx *bolt.Tx) error {
			var errs []error
			for err := range tx.Check() { // drain: the checker runs until done
				errs = append(errs, err)
			}
			return errors.Join(errs...)
		}); err != nil {
			t.Fatalf("round %d: consistency check: %v", round, err)
		}
		if err := s.Close(); err != nil {
			t.Fatal(err)
		}
		t.Logf("round %d: %d keys acknowledged, all present", round, len(acked))
	}
}
