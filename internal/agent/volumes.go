package agent

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"fmt"

	"github.com/quayside/quayside/internal/docker"
	"github.com/quayside/quayside/internal/ecs"
)

// Task volumes map onto Docker as follows:
//
//	host.sourcePath set          bind mount of that host path
//	host without sourcePath      Docker volume scoped to the task, removed when it stops
//	dockerVolumeConfiguration    scope "task": as above, with the driver and options given;
//	                             scope "shared": the Docker volume named like the task volume,
//	                             created when autoprovision is true, and kept
//	efsVolumeConfiguration       Docker volume quayside-efs-<fileSystemId>[-<root hash>],
//	                             shared by every task naming the same file system and root,
//	                             and kept, as an EFS file system outlives its tasks
const labelTaskVolume = "com.quayside.task-volume"

func (r *runner) ensureVolumes(ctx context.Context) (map[string]VolumeSource, error) {
	out := map[string]VolumeSource{}
	for _, v := range r.def.Volumes {
		switch {
		case v.Host != nil && v.Host.SourcePath != "":
			out[v.Name] = VolumeSource{Kind: "bind", Source: v.Host.SourcePath}
		case v.EFSVolumeConfiguration != nil:
			e := v.EFSVolumeConfiguration
			name := "quayside-efs-" + e.FileSystemID
			if e.RootDirectory != "" && e.RootDirectory != "/" {
				sum := sha256.Sum256([]byte(e.RootDirectory))
				name += "-" + hex.EncodeToString(sum[:6])
			}
			labels := map[string]string{LabelManaged: "true", "com.quayside.efs.file-system-id": e.FileSystemID, "com.quayside.efs.root-directory": e.RootDirectory}
			if err := r.a.createVolume(ctx, docker.VolumeCreateOptions{Name: name, Labels: labels}); err != nil {
				return nil, err
			}
			out[v.Name] = VolumeSource{Kind: "volume", Source: name}
		case v.DockerVolumeConfiguration != nil && v.DockerVolumeConfiguration.Scope == ecs.ScopeShared:
			dv := v.DockerVolumeConfiguration
			list, err := r.a.docker.VolumeList(ctx, docker.Filters{"name": {v.Name}})
			if err != nil {
				return nil, retry(err)
			}
			exists := false
			for _, l := range list {
				exists = exists || l.Name == v.Name
			}
			if !exists && !dv.Autoprovision {
				return nil, r.failStart(ctx, fmt.Sprintf("CannotCreateContainerError: the shared Docker volume %q does not exist and autoprovision is false", v.Name))
			}
			if !exists {
				opts := docker.VolumeCreateOptions{Name: v.Name, Driver: dv.Driver, DriverOpts: dv.DriverOpts, Labels: withManaged(dv.Labels)}
				if err := r.a.createVolume(ctx, opts); err != nil {
					return nil, err
				}
			}
			out[v.Name] = VolumeSource{Kind: "volume", Source: v.Name}
		default:
			opts := docker.VolumeCreateOptions{Name: fmt.Sprintf("quayside-task-%s-%s", r.task.ID, unsafeName.ReplaceAllString(v.Name, "-"))}
			if dv := v.DockerVolumeConfiguration; dv != nil {
				opts.Driver, opts.DriverOpts, opts.Labels = dv.Driver, dv.DriverOpts, dv.Labels
			}
			opts.Labels = withManaged(opts.Labels)
			opts.Labels[LabelTaskKey], opts.Labels[labelTaskVolume] = r.key, "true"
			if err := r.a.createVolume(ctx, opts); err != nil {
				return nil, err
			}
			out[v.Name] = VolumeSource{Kind: "volume", Source: opts.Name}
		}
	}
	return out, nil
}

func withManaged(labels map[string]string) map[string]string {
	out := map[string]string{LabelManaged: "true"}
	for k, v := range labels {
		out[k] = v
	}
	return out
}

// createVolume creates a volume; an existing one with that name is kept.
func (a *Agent) createVolume(ctx context.Context, opts docker.VolumeCreateOptions) error {
	if _, err := a.docker.VolumeCreate(ctx, opts); err != nil {
		return retry(fmt.Errorf("create volume %s: %w", opts.Name, err))
	}
	return nil
}

// removeTaskVolumes removes the task-scoped volumes of a stopped task.
func (a *Agent) removeTaskVolumes(ctx context.Context, r *runner) error {
	list, err := a.docker.VolumeList(ctx, docker.Filters{"label": {LabelTaskKey + "=" + r.key, labelTaskVolume + "=true"}})
	if err != nil {
		return retry(err)
	}
	for _, v := range list {
		if err := a.docker.VolumeRemove(ctx, v.Name, true); err != nil && !docker.IsNotFound(err) {
			return retry(err)
		}
	}
	return nil
}
