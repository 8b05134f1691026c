package ecs

// Volume is a data volume of a task definition. A volume has a name and
// at most one kind of configuration: a bind mount (Host), a Docker
// volume, EFS, FSx for Windows File Server, S3 Files, or
// ConfiguredAtLaunch. With none, it is a Docker-managed bind mount.
type Volume struct {
	Name                                    string                                   `json:"name,omitempty"`
	Host                                    *HostVolume                              `json:"host,omitempty"`
	DockerVolumeConfiguration               *DockerVolumeConfiguration               `json:"dockerVolumeConfiguration,omitempty"`
	EFSVolumeConfiguration                  *EFSVolumeConfiguration                  `json:"efsVolumeConfiguration,omitempty"`
	S3FilesVolumeConfiguration              *S3FilesVolumeConfiguration              `json:"s3filesVolumeConfiguration,omitempty"`
	FSxWindowsFileServerVolumeConfiguration *FSxWindowsFileServerVolumeConfiguration `json:"fsxWindowsFileServerVolumeConfiguration,omitempty"`
	// ConfiguredAtLaunch means the volume (an EBS volume) is configured
	// when a task or service is created. A task definition may have one.
	ConfiguredAtLaunch bool `json:"configuredAtLaunch,omitempty"`
}

// kinds returns how many kinds of configuration the volume has.
func (v *Volume) kinds() int {
	n := 0
	for _, set := range []bool{
		v.Host != nil, v.DockerVolumeConfiguration != nil, v.EFSVolumeConfiguration != nil,
		v.S3FilesVolumeConfiguration != nil, v.FSxWindowsFileServerVolumeConfiguration != nil,
		v.ConfiguredAtLaunch,
	} {
		if set {
			n++
		}
	}
	return n
}

// HostVolume is a bind mount of a host path. An empty SourcePath lets
// Docker choose the path; the data then lives only as long as the task's
// containers.
type HostVolume struct {
	SourcePath string `json:"sourcePath,omitempty"`
}

// DockerVolumeScope is the lifetime of a Docker volume.
type DockerVolumeScope string

// Docker volume scopes.
const (
	ScopeTask   DockerVolumeScope = "task"
	ScopeShared DockerVolumeScope = "shared"
)

// DockerVolumeConfiguration is a Docker volume. Autoprovision applies
// only to shared volumes.
type DockerVolumeConfiguration struct {
	Scope         DockerVolumeScope `json:"scope,omitempty"`
	Autoprovision bool              `json:"autoprovision,omitempty"`
	Driver        string            `json:"driver,omitempty"`
	DriverOpts    map[string]string `json:"driverOpts,omitempty"`
	Labels        map[string]string `json:"labels,omitempty"`
}

// Switch is an ENABLED/DISABLED setting.
type Switch string

// Switch values.
const (
	Enabled  Switch = "ENABLED"
	Disabled Switch = "DISABLED"
)

// EFSVolumeConfiguration mounts an Amazon EFS file system.
type EFSVolumeConfiguration struct {
	FileSystemID          string                  `json:"fileSystemId"`
	RootDirectory         string                  `json:"rootDirectory,omitempty"`
	TransitEncryption     Switch                  `json:"transitEncryption,omitempty"`
	TransitEncryptionPort int                     `json:"transitEncryptionPort,omitempty"`
	AuthorizationConfig   *EFSAuthorizationConfig `json:"authorizationConfig,omitempty"`
}

// EFSAuthorizationConfig selects an EFS access point and IAM
// authorization.
type EFSAuthorizationConfig struct {
	AccessPointID string `json:"accessPointId,omitempty"`
	IAM           Switch `json:"iam,omitempty"`
}

// S3FilesVolumeConfiguration mounts an Amazon S3 Files file system.
type S3FilesVolumeConfiguration struct {
	FileSystemARN         string `json:"fileSystemArn"`
	RootDirectory         string `json:"rootDirectory,omitempty"`
	TransitEncryptionPort int    `json:"transitEncryptionPort,omitempty"`
	AccessPointARN        string `json:"accessPointArn,omitempty"`
}

// FSxWindowsFileServerVolumeConfiguration mounts an FSx for Windows File
// Server file system.
type FSxWindowsFileServerVolumeConfiguration struct {
	FileSystemID        string                                  `json:"fileSystemId"`
	RootDirectory       string                                  `json:"rootDirectory"`
	AuthorizationConfig FSxWindowsFileServerAuthorizationConfig `json:"authorizationConfig"`
}

// FSxWindowsFileServerAuthorizationConfig holds the credentials of an
// FSx for Windows File Server volume.
type FSxWindowsFileServerAuthorizationConfig struct {
	CredentialsParameter string `json:"credentialsParameter"`
	Domain               string `json:"domain"`
}
