package taskmeta

import (
	"go/parser"
	"go/token"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
)

// TestImports keeps the package free of Quayside's own packages and of
// Docker: the agent adapts its state to Source, not the other way round.
func TestImports(t *testing.T) {
	files, err := filepath.Glob("*.go")
	if err != nil {
		t.Fatal(err)
	}
	fset := token.NewFileSet()
	for _, name := range files {
		f, err := parser.ParseFile(fset, name, nil, parser.ImportsOnly)
		if err != nil {
			t.Fatal(err)
		}
		for _, imp := range f.Imports {
			path, _ := strconv.Unquote(imp.Path.Value)
			if strings.HasPrefix(path, "github.com/quayside/") || strings.HasPrefix(path, "github.com/docker/") {
				t.Errorf("%s imports %s; taskmeta must depend on nothing of Quayside's", name, path)
			}
		}
	}
}
