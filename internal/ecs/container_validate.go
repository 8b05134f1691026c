package ecs

import (
	"strconv"
	"strings"
)

// MinContainerMemory is the least memory (MiB) Docker 20.10 and later
// accept for a container's hard or soft limit.
const MinContainerMemory = 6

// containerNames checks names and indexes the containers by name.
func (v *tdValidator) containerNames() error {
	v.containerByName = make(map[string]*ContainerDefinition, len(v.td.ContainerDefinitions))
	for i := range v.td.ContainerDefinitions {
		c := &v.td.ContainerDefinitions[i]
		switch {
		case c.Name == "":
			return clientErr("Container.name should not be null or empty.")
		case len(c.Name) > MaxNameLength:
			return clientErr("Container.name can be at most %d characters long.", MaxNameLength) // message not confirmed
		case !ValidName(c.Name):
			return clientErr("Container.name contains invalid characters.")
		}
		if _, dup := v.containerByName[c.Name]; dup {
			return clientErr("Container names must be unique within a Task Definition.")
		}
		v.containerByName[c.Name] = c
	}
	return nil
}

// containers checks each container on its own and against the
// containers and volumes it refers to.
func (v *tdValidator) containers() error {
	for i := range v.td.ContainerDefinitions {
		c := &v.td.ContainerDefinitions[i]
		for _, check := range []func(int, *ContainerDefinition) error{
			v.image,
			v.memory,
			v.links,
			v.ports,
			v.networking,
			v.environment,
			v.secrets,
			v.mounts,
			v.dependsOn,
			v.logging,
			v.healthCheck,
			v.linuxParameters,
			v.ulimits,
			v.systemControls,
			v.resourceRequirements,
			v.otherOptions,
		} {
			if err := check(i, c); err != nil {
				return err
			}
		}
		if v.fargate {
			if err := checkFargateContainer(c); err != nil {
				return err
			}
		}
	}
	return nil
}

// maxImageNameLength bounds an image reference (before any @digest).
const maxImageNameLength = 255

func (v *tdValidator) image(_ int, c *ContainerDefinition) error {
	if strings.TrimSpace(c.Image) == "" {
		return clientErr("Container.image should not be null or empty.")
	}
	name, digest, hasDigest := strings.Cut(c.Image, "@")
	if len(name) > maxImageNameLength {
		// message not confirmed
		return clientErr("Invalid 'image' setting for container '%s'. The image name can be at most %d characters long.", c.Name, maxImageNameLength)
	}
	if hasDigest {
		hexPart, ok := strings.CutPrefix(digest, "sha256:")
		if !ok || len(hexPart) != 64 || strings.Trim(strings.ToLower(hexPart), "0123456789abcdef") != "" {
			// message not confirmed
			return clientErr("Invalid 'image' setting for container '%s'. An image digest must be sha256: followed by 64 hexadecimal characters.", c.Name)
		}
	}
	return nil
}

func (v *tdValidator) memory(_ int, c *ContainerDefinition) error {
	if c.CPU < 0 {
		return clientErr("Invalid 'cpu' setting for container '%s'.", c.Name) // message not confirmed
	}
	if c.Memory < 0 || c.Memory > 0 && c.Memory < MinContainerMemory {
		// message not confirmed
		return clientErr("Invalid 'memory' setting for container '%s'. The value must be at least %d MiB.", c.Name, MinContainerMemory)
	}
	if c.MemoryReservation < 0 || c.MemoryReservation > 0 && c.MemoryReservation < MinContainerMemory {
		// message not confirmed
		return clientErr("Invalid 'memoryReservation' setting for container '%s'. The value must be at least %d MiB.", c.Name, MinContainerMemory)
	}
	if v.mem == 0 && c.Memory == 0 && c.MemoryReservation == 0 {
		return clientErr("Invalid setting for container '%s'. At least one of 'memory' or 'memoryReservation' must be specified.", c.Name)
	}
	// The API reference and ECS-BEHAVIOUR.md: "If you specify both, memory
	// must be greater than memoryReservation." Some reports say equal
	// values register; we follow the documented rule.
	if c.Memory > 0 && c.MemoryReservation > 0 && c.MemoryReservation >= c.Memory {
		// message not confirmed
		return clientErr("Invalid setting for container '%s'. 'memory' must be greater than 'memoryReservation'.", c.Name)
	}
	if v.mem > 0 && c.Memory > v.mem {
		// message not confirmed
		return clientErr("Invalid setting for container '%s'. 'memory' cannot be greater than the value of the task 'memory'.", c.Name)
	}
	return nil
}

func (v *tdValidator) links(_ int, c *ContainerDefinition) error {
	if len(c.Links) == 0 {
		return nil
	}
	if mode := v.td.NetworkMode.Effective(); mode != NetworkModeBridge {
		// ECS's message for awsvpc; the same words for host and none
		return clientErr("Links are not supported when networkMode=%s.", mode)
	}
	for _, l := range c.Links {
		target, _, _ := strings.Cut(l, ":")
		if t, ok := v.containerByName[target]; !ok || t == c {
			// message not confirmed
			return clientErr("Invalid link '%s' in container '%s'. A link must name another container of the task definition.", l, c.Name)
		}
	}
	return nil
}

func (v *tdValidator) networking(_ int, c *ContainerDefinition) error {
	if v.td.NetworkMode != NetworkModeAWSVPC {
		return nil
	}
	if c.Hostname != "" {
		return clientErr("hostname is not supported on container when networkMode=awsvpc.")
	}
	if len(c.ExtraHosts) > 0 {
		// message not confirmed (written like the hostname message)
		return clientErr("extraHosts is not supported on container when networkMode=awsvpc.")
	}
	return nil
}

func (v *tdValidator) environment(_ int, c *ContainerDefinition) error {
	for _, e := range c.Environment {
		if e.Name == "" || strings.ContainsRune(e.Name, '=') {
			// message not confirmed
			return clientErr("Invalid environment variable name '%s' in container '%s'. Names must not be empty or contain '='.", e.Name, c.Name)
		}
	}
	if len(c.EnvironmentFiles) > MaxEnvironmentFiles {
		return clientErr("Container '%s' can have at most %d environment files.", c.Name, MaxEnvironmentFiles) // message not confirmed
	}
	for _, f := range c.EnvironmentFiles {
		if f.Type != EnvironmentFileS3 {
			return enumErr("environmentFiles.type", []EnvironmentFileType{EnvironmentFileS3})
		}
		if f.Value == "" {
			return clientErr("Environment file value should not be null or empty.") // message not confirmed
		}
	}
	for _, h := range c.ExtraHosts {
		if h.Hostname == "" || h.IPAddress == "" {
			return clientErr("Invalid 'extraHosts' setting for container '%s'. Each entry needs a hostname and an ipAddress.", c.Name) // message not confirmed
		}
	}
	return nil
}

func (v *tdValidator) secrets(_ int, c *ContainerDefinition) error {
	if c.RepositoryCredentials != nil {
		if c.RepositoryCredentials.CredentialsParameter == "" {
			return clientErr("repositoryCredentials.credentialsParameter should not be null or empty.") // message not confirmed
		}
		if v.td.ExecutionRoleARN == "" {
			return clientErr("Private repository authentication requires that the task definition specify a value for executionRoleArn.")
		}
	}
	env := make(map[string]bool, len(c.Environment))
	for _, e := range c.Environment {
		env[e.Name] = true
	}
	seen := make(map[string]bool, len(c.Secrets))
	for _, s := range c.Secrets {
		if err := checkSecret(s); err != nil {
			return err
		}
		if seen[s.Name] || env[s.Name] {
			return clientErr("The secret name must be unique and not shared with any new or existing environment variables set on the container, such as '%s'.", s.Name)
		}
		seen[s.Name] = true
	}
	if len(c.Secrets) > 0 && v.td.ExecutionRoleARN == "" {
		return clientErr("When you are specifying container secrets, you must also specify a value for 'executionRoleArn'.")
	}
	return nil
}

// checkSecret checks a secret's name and valueFrom.
func checkSecret(s Secret) error {
	if s.Name == "" {
		return clientErr("Secret name should not be null or empty.") // message not confirmed
	}
	if _, p := parseSecretSource(s.ValueFrom); p != secretOK {
		return clientErr("%s", p.message(s.Name))
	}
	return nil
}

func (v *tdValidator) mounts(_ int, c *ContainerDefinition) error {
	for _, m := range c.MountPoints {
		if _, ok := v.volumeByName[m.SourceVolume]; !ok || m.SourceVolume == "" {
			name := m.SourceVolume
			if name == "" {
				name = "null" // ECS prints a missing name as null
			}
			return clientErr("Unknown volume '%s'.", name)
		}
		if m.ContainerPath == "" {
			// message not confirmed
			return clientErr("Invalid 'mountPoints' setting for container '%s'. containerPath should not be null or empty.", c.Name)
		}
	}
	for _, f := range c.VolumesFrom {
		if t, ok := v.containerByName[f.SourceContainer]; !ok || t == c {
			// message not confirmed (written like the dependsOn message)
			return clientErr("Cannot mount volumes from container '%s' because it does not exist", f.SourceContainer)
		}
	}
	return nil
}

var containerConditions = []ContainerCondition{ConditionStart, ConditionComplete, ConditionSuccess, ConditionHealthy}

func (v *tdValidator) dependsOn(i int, c *ContainerDefinition) error {
	for j, d := range c.DependsOn {
		if !containsValue(containerConditions, d.Condition) {
			return enumErr(containerPath(i, "dependsOn."+strconv.Itoa(j+1)+".condition"), containerConditions)
		}
		target, ok := v.containerByName[d.ContainerName]
		if !ok {
			// ECS's message, including its stray "+"
			return clientErr("Cannot depend on container + '%s' because it does not exist", d.ContainerName)
		}
		switch d.Condition {
		case ConditionComplete, ConditionSuccess:
			if target.Essential {
				return clientErr("A dependency container with SUCCESS or COMPLETE condition cannot be an essential container")
			}
		case ConditionHealthy:
			if target.HealthCheck == nil {
				// message not confirmed
				return clientErr("Container '%s' depends on container '%s' being HEALTHY, but '%s' has no healthCheck.",
					c.Name, d.ContainerName, d.ContainerName)
			}
		}
	}
	if c.StartTimeout < 0 || c.StopTimeout < 0 {
		return clientErr("Invalid timeout setting for container '%s'. Timeouts cannot be negative.", c.Name) // message not confirmed
	}
	return nil
}

func (v *tdValidator) logging(i int, c *ContainerDefinition) error {
	lc := c.LogConfiguration
	if lc == nil {
		return nil
	}
	if !containsValue(LogDrivers, lc.LogDriver) {
		return enumErr(containerPath(i, "logConfiguration.logDriver"), LogDrivers)
	}
	if lc.LogDriver == LogDriverAWSLogs {
		var missing []string
		for _, opt := range []string{AWSLogsRegion, AWSLogsGroup} {
			if lc.Options[opt] == "" {
				missing = append(missing, opt)
			}
		}
		if len(missing) > 0 {
			// ECS's message lists the required options
			return clientErr("Log driver awslogs requires options: %s", strings.Join(missing, ", "))
		}
	}
	for _, s := range lc.SecretOptions {
		if err := checkSecret(s); err != nil {
			return err
		}
	}
	if len(lc.SecretOptions) > 0 && v.td.ExecutionRoleARN == "" {
		return clientErr("When you are specifying container secrets, you must also specify a value for 'executionRoleArn'.")
	}
	return nil
}

func (v *tdValidator) healthCheck(_ int, c *ContainerDefinition) error {
	hc := c.HealthCheck
	if hc == nil {
		return nil
	}
	bad := func(what string) error {
		// message not confirmed
		return clientErr("Invalid 'healthCheck' setting for container '%s'. %s", c.Name, what)
	}
	if len(hc.Command) == 0 || (hc.Command[0] != HealthCheckCmd && hc.Command[0] != HealthCheckCmdShell) {
		return bad("The command must start with CMD or CMD-SHELL.")
	}
	if hc.Interval < MinHealthCheckInterval || hc.Interval > MaxHealthCheckInterval {
		return bad("'interval' must be between 5 and 300 seconds.")
	}
	if hc.Timeout < MinHealthCheckTimeout || hc.Timeout > MaxHealthCheckTimeout {
		return bad("'timeout' must be between 2 and 60 seconds.")
	}
	if hc.Retries < MinHealthCheckRetries || hc.Retries > MaxHealthCheckRetries {
		return bad("'retries' must be between 1 and 10.")
	}
	if hc.StartPeriod < 0 || hc.StartPeriod > MaxHealthCheckStartPeriod {
		return bad("'startPeriod' must be between 0 and 300 seconds.")
	}
	return nil
}
