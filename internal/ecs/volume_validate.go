package ecs

import "fmt"

var (
	dockerVolumeScopes = []DockerVolumeScope{ScopeTask, ScopeShared}
	switches           = []Switch{Enabled, Disabled}
)

// volumes checks the task's volumes and indexes them by name.
func (v *tdValidator) volumes() error {
	v.volumeByName = make(map[string]*Volume, len(v.td.Volumes))
	atLaunch := 0
	for i := range v.td.Volumes {
		vol := &v.td.Volumes[i]
		path := fmt.Sprintf("volumes.%d", i+1)
		if vol.Name != "" && !ValidName(vol.Name) {
			// message not confirmed
			return clientErr("Volume name '%s' is invalid. Up to 255 letters (uppercase and lowercase), numbers, underscores, and hyphens are allowed.", vol.Name)
		}
		if vol.Name != "" {
			if _, dup := v.volumeByName[vol.Name]; dup {
				return clientErr("Volume names must be unique within a Task Definition.") // message not confirmed
			}
			v.volumeByName[vol.Name] = vol
		}
		if vol.kinds() > 1 {
			// message not confirmed
			return clientErr("Volume '%s' may specify only one of host, dockerVolumeConfiguration, efsVolumeConfiguration, "+
				"s3filesVolumeConfiguration, fsxWindowsFileServerVolumeConfiguration or configuredAtLaunch.", vol.Name)
		}
		if vol.ConfiguredAtLaunch {
			atLaunch++
			if atLaunch > 1 {
				// message not confirmed
				return clientErr("A task definition can have only one volume configured at launch.")
			}
		}
		if err := v.volumeConfig(vol, path); err != nil {
			return err
		}
	}
	if v.fargate {
		return v.td.checkFargateVolumes()
	}
	return nil
}

func (v *tdValidator) volumeConfig(vol *Volume, path string) error {
	needsName := vol.EFSVolumeConfiguration != nil || vol.S3FilesVolumeConfiguration != nil || vol.ConfiguredAtLaunch
	if needsName && vol.Name == "" {
		return clientErr("Volume name should not be null or empty.") // message not confirmed
	}
	if d := vol.DockerVolumeConfiguration; d != nil {
		if d.Scope != "" && !containsValue(dockerVolumeScopes, d.Scope) {
			return enumErr(path+".dockerVolumeConfiguration.scope", dockerVolumeScopes)
		}
		if d.Autoprovision && d.Scope != ScopeShared {
			// message not confirmed
			return clientErr("Volume '%s': autoprovision can only be used with a Docker volume whose scope is shared.", vol.Name)
		}
	}
	if e := vol.EFSVolumeConfiguration; e != nil {
		if e.FileSystemID == "" {
			return clientErr("Volume '%s': efsVolumeConfiguration.fileSystemId should not be null or empty.", vol.Name) // message not confirmed
		}
		if e.TransitEncryption != "" && !containsValue(switches, e.TransitEncryption) {
			return enumErr(path+".efsVolumeConfiguration.transitEncryption", switches)
		}
		if e.TransitEncryptionPort < 0 || e.TransitEncryptionPort > 65535 {
			return clientErr("Volume '%s': transitEncryptionPort must be between 0 and 65535.", vol.Name) // message not confirmed
		}
		if a := e.AuthorizationConfig; a != nil {
			if a.IAM != "" && !containsValue(switches, a.IAM) {
				return enumErr(path+".efsVolumeConfiguration.authorizationConfig.iam", switches)
			}
			if (a.IAM == Enabled || a.AccessPointID != "") && e.TransitEncryption != Enabled {
				// message not confirmed
				return clientErr("Volume '%s': transit encryption must be ENABLED when an access point or IAM authorization is used.", vol.Name)
			}
			if a.AccessPointID != "" && e.RootDirectory != "" && e.RootDirectory != "/" {
				// message not confirmed
				return clientErr("Volume '%s': when an access point is used, rootDirectory must be omitted or set to '/'.", vol.Name)
			}
		}
	}
	if f := vol.FSxWindowsFileServerVolumeConfiguration; f != nil {
		if f.FileSystemID == "" || f.RootDirectory == "" ||
			f.AuthorizationConfig.CredentialsParameter == "" || f.AuthorizationConfig.Domain == "" {
			// message not confirmed
			return clientErr("Volume '%s': fsxWindowsFileServerVolumeConfiguration requires fileSystemId, rootDirectory and an authorizationConfig with credentialsParameter and domain.", vol.Name)
		}
	}
	if s := vol.S3FilesVolumeConfiguration; s != nil {
		if s.FileSystemARN == "" {
			return clientErr("Volume '%s': s3filesVolumeConfiguration.fileSystemArn should not be null or empty.", vol.Name) // message not confirmed
		}
		if s.AccessPointARN != "" && s.RootDirectory != "" && s.RootDirectory != "/" {
			// message not confirmed
			return clientErr("Volume '%s': when an access point is used, rootDirectory must be omitted or set to '/'.", vol.Name)
		}
		if s.TransitEncryptionPort < 0 || s.TransitEncryptionPort > 65535 {
			return clientErr("Volume '%s': transitEncryptionPort must be between 0 and 65535.", vol.Name) // message not confirmed
		}
		if v.td.TaskRoleARN == "" {
			// message not confirmed
			return clientErr("Volume '%s': S3 Files volumes require that the task definition specify a value for taskRoleArn.", vol.Name)
		}
	}
	return nil
}
