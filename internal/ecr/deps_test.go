package ecr

import (
	"go/parser"
	"go/token"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
)

// TestDomainImports keeps the domain package free of the transport, the
// store, the wire shapes and Docker.
func TestDomainImports(t *testing.T) {
	forbidden := []string{"net/http", "github.com/quayside/quayside/internal/store", "github.com/quayside/quayside/internal/wire", "github.com/quayside/quayside/internal/docker", "github.com/docker"}
	files, err := filepath.Glob("*.go")
	if err != nil {
		t.Fatal(err)
	}
	fset := token.NewFileSet()
	for _, name := range files {
		if strings.HasSuffix(name, "_test.go") {
			continue
		}
		f, err := parser.ParseFile(fset, name, nil, parser.ImportsOnly)
		if err != nil {
			t.Fatal(err)
		}
		for _, imp := range f.Imports {
			path, _ := strconv.Unquote(imp.Path.Value)
			for _, bad := range forbidden {
				if path == bad || strings.HasPrefix(path, bad+"/") {
					t.Errorf("%s imports %s; the domain package must not", name, path)
				}
			}
		}
	}
}
