package agent

import (
	"bufio"
	"bytes"
	"fmt"
	"os"
	"strings"

	"github.com/quayside/quayside/internal/ecs"
)

// readEnvFiles reads a container's environmentFiles, in order. ECS reads
// them from S3; Quayside reads local files, named by an absolute path or a
// file:// URL, and reports S3 objects as not yet supported. The format is
// ECS's: one VARIABLE=VALUE per line, lines starting with # and blank
// lines ignored, values taken literally.
func readEnvFiles(files []ecs.EnvironmentFile) ([]ecs.KeyValuePair, error) {
	var out []ecs.KeyValuePair
	for _, f := range files {
		path, ok := strings.CutPrefix(f.Value, "file://")
		if !ok && !strings.HasPrefix(f.Value, "/") {
			return nil, fmt.Errorf("failed to download env files: %s: Quayside reads environment files from local paths (/path/to/file.env or file:///path/to/file.env); S3 objects are not supported yet", f.Value)
		}
		if !ok {
			path = f.Value
		}
		b, err := os.ReadFile(path)
		if err != nil {
			return nil, fmt.Errorf("failed to download env files: %w", err)
		}
		vars, err := parseEnvFile(b)
		if err != nil {
			return nil, fmt.Errorf("failed to download env files: %s: %w", path, err)
		}
		out = append(out, vars...)
	}
	return out, nil
}

func parseEnvFile(b []byte) ([]ecs.KeyValuePair, error) {
	var out []ecs.KeyValuePair
	sc := bufio.NewScanner(bytes.NewReader(b))
	sc.Buffer(make([]byte, 64*1024), 1<<20)
	for n := 1; sc.Scan(); n++ {
		line := strings.TrimRight(sc.Text(), "\r")
		if strings.TrimSpace(line) == "" || strings.HasPrefix(strings.TrimSpace(line), "#") {
			continue
		}
		name, value, ok := strings.Cut(line, "=")
		if !ok || strings.TrimSpace(name) == "" {
			return nil, fmt.Errorf("line %d is not VARIABLE=VALUE", n)
		}
		out = append(out, ecs.KeyValuePair{Name: strings.TrimSpace(name), Value: value})
	}
	return out, sc.Err()
}
