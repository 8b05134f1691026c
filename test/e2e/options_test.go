package e2e

import "github.com/quayside/quayside/internal/servertest"

func serverOptions(dir string) servertest.Options {
	return servertest.Options{DataDir: dir, WaitAgent: true}
}
