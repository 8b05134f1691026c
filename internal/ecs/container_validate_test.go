package ecs

import (
	"strings"
	"testing"
	"time"
)

func TestValidateContainers(t *testing.T) {
	const smARN = "arn:aws:secretsmanager:us-east-1:000000000000:secret:db-AbCdEf"
	runValidateCases(t, []validateCase{
		{name: "name blank", base: ec2TD, mutate: func(td *TaskDefinition) { c0(td).Name = "" },
			kind: ErrClient, msg: "Container.name should not be null or empty."},
		{name: "name invalid characters", base: ec2TD, mutate: func(td *TaskDefinition) { c0(td).Name = "my app" },
			kind: ErrClient, msg: "Container.name contains invalid characters."},
		{name: "name too long", base: ec2TD, mutate: func(td *TaskDefinition) { c0(td).Name = strings.Repeat("a", 256) },
			kind: ErrClient, msg: "Container.name can be at most 255 characters long."},
		{name: "names not unique", base: ec2TD, mutate: func(td *TaskDefinition) {
			td.ContainerDefinitions = append(td.ContainerDefinitions, sidecar("app"))
		}, kind: ErrClient, msg: "Container names must be unique within a Task Definition."},
		{name: "image blank", base: ec2TD, mutate: func(td *TaskDefinition) { c0(td).Image = "" },
			kind: ErrClient, msg: "Container.image should not be null or empty."},
		{name: "image too long", base: ec2TD, mutate: func(td *TaskDefinition) { c0(td).Image = strings.Repeat("i", 256) },
			kind: ErrClient, msg: "Invalid 'image' setting for container 'app'. The image name can be at most 255 characters long."},
		{name: "image digest valid", base: ec2TD, mutate: func(td *TaskDefinition) {
			c0(td).Image = "repo/app@sha256:" + strings.Repeat("ab", 32)
		}},
		{name: "image digest malformed", base: ec2TD, mutate: func(td *TaskDefinition) { c0(td).Image = "repo/app@sha256:abc" },
			kind: ErrClient, msg: "Invalid 'image' setting for container 'app'. An image digest must be sha256: followed by 64 hexadecimal characters."},
		{name: "no essential container", base: ec2TD, mutate: func(td *TaskDefinition) { c0(td).Essential = false },
			kind: ErrClient, msg: "Task definition doesn't have any essential container."},
		{name: "memory or reservation required", base: ec2TD, mutate: func(td *TaskDefinition) { c0(td).Memory = 0 },
			kind: ErrClient, msg: "Invalid setting for container 'app'. At least one of 'memory' or 'memoryReservation' must be specified."},
		{name: "reservation alone is enough", base: ec2TD, mutate: func(td *TaskDefinition) { c0(td).Memory, c0(td).MemoryReservation = 0, 128 }},
		{name: "task memory is enough", base: ec2TD, mutate: func(td *TaskDefinition) { c0(td).Memory, td.Memory = 0, "512" }},
		{name: "reservation above memory", base: ec2TD, mutate: func(td *TaskDefinition) { c0(td).MemoryReservation = 256 },
			kind: ErrClient, msg: "Invalid setting for container 'app'. 'memory' must be greater than 'memoryReservation'."},
		{name: "reservation equal to memory", base: ec2TD, mutate: func(td *TaskDefinition) { c0(td).MemoryReservation = 128 },
			kind: ErrClient, msg: "Invalid setting for container 'app'. 'memory' must be greater than 'memoryReservation'."},
		{name: "reservation below memory", base: ec2TD, mutate: func(td *TaskDefinition) { c0(td).MemoryReservation = 64 }},
		{name: "memory below 6 MiB", base: ec2TD, mutate: func(td *TaskDefinition) { c0(td).Memory = 4 },
			kind: ErrClient, msg: "Invalid 'memory' setting for container 'app'. The value must be at least 6 MiB."},
		{name: "memory of 6 MiB", base: ec2TD, mutate: func(td *TaskDefinition) { c0(td).Memory = 6 }},
		{name: "reservation below 6 MiB", base: ec2TD, mutate: func(td *TaskDefinition) { c0(td).MemoryReservation = 5 },
			kind: ErrClient, msg: "Invalid 'memoryReservation' setting for container 'app'. The value must be at least 6 MiB."},
		{name: "negative cpu", base: ec2TD, mutate: func(td *TaskDefinition) { c0(td).CPU = -1 },
			kind: ErrClient, msg: "Invalid 'cpu' setting for container 'app'."},
		{name: "container memory above task memory", base: ec2TD, mutate: func(td *TaskDefinition) { td.Memory = "256"; c0(td).Memory = 512 },
			kind: ErrClient, msg: "Invalid setting for container 'app'. 'memory' cannot be greater than the value of the task 'memory'."},
		{name: "sum of reservations above task memory", base: fargateTD, mutate: func(td *TaskDefinition) {
			c0(td).MemoryReservation = 300
			td.ContainerDefinitions = append(td.ContainerDefinitions, ContainerDefinition{Name: "side", Image: "x", MemoryReservation: 300})
		}, kind: ErrClient, msg: "The sum of all container 'memoryReservation' values cannot be greater than the value of the task 'memory'."},
		{name: "sum of memory above task memory", base: fargateTD, mutate: func(td *TaskDefinition) {
			c0(td).Memory = 300
			td.ContainerDefinitions = append(td.ContainerDefinitions, ContainerDefinition{Name: "side", Image: "x", Memory: 300})
		}, kind: ErrClient, msg: "The sum of all container 'memory' values cannot be greater than the value of the task 'memory'."},
		{name: "sum of cpu above task cpu", base: fargateTD, mutate: func(td *TaskDefinition) {
			c0(td).CPU = 200
			td.ContainerDefinitions = append(td.ContainerDefinitions, ContainerDefinition{Name: "side", Image: "x", CPU: 100})
		}, kind: ErrClient, msg: "The sum of all container 'cpu' values cannot be greater than the value of the task 'cpu'."},
		{name: "links with awsvpc", base: fargateTD, mutate: func(td *TaskDefinition) {
			td.ContainerDefinitions = append(td.ContainerDefinitions, sidecar("db"))
			c0(td).Links = []string{"db"}
		}, kind: ErrClient, msg: "Links are not supported when networkMode=awsvpc."},
		{name: "links with host", base: ec2TD, mutate: func(td *TaskDefinition) {
			td.NetworkMode = NetworkModeHost
			td.ContainerDefinitions = append(td.ContainerDefinitions, sidecar("db"))
			c0(td).Links = []string{"db"}
		}, kind: ErrClient, msg: "Links are not supported when networkMode=host."},
		{name: "links with bridge", base: ec2TD, mutate: func(td *TaskDefinition) {
			td.ContainerDefinitions = append(td.ContainerDefinitions, sidecar("db"))
			c0(td).Links = []string{"db:database"}
		}},
		{name: "link to unknown container", base: ec2TD, mutate: func(td *TaskDefinition) { c0(td).Links = []string{"db"} },
			kind: ErrClient, msg: "Invalid link 'db' in container 'app'. A link must name another container of the task definition."},
		{name: "link cycle", base: ec2TD, mutate: func(td *TaskDefinition) {
			db := sidecar("db")
			db.Links = []string{"app"}
			td.ContainerDefinitions = append(td.ContainerDefinitions, db)
			c0(td).Links = []string{"db"}
		}, kind: ErrClient, msg: "Container links should not have a cycle"},
		{name: "hostname with awsvpc", base: fargateTD, mutate: func(td *TaskDefinition) { c0(td).Hostname = "web" },
			kind: ErrClient, msg: "hostname is not supported on container when networkMode=awsvpc."},
		{name: "hostname with bridge", base: ec2TD, mutate: func(td *TaskDefinition) { c0(td).Hostname = "web" }},
		{name: "extra hosts with awsvpc", base: fargateTD, mutate: func(td *TaskDefinition) {
			c0(td).ExtraHosts = []HostEntry{{Hostname: "db", IPAddress: "10.0.0.1"}}
		}, kind: ErrClient, msg: "extraHosts is not supported on container when networkMode=awsvpc."},
		{name: "extra host incomplete", base: ec2TD, mutate: func(td *TaskDefinition) { c0(td).ExtraHosts = []HostEntry{{Hostname: "db"}} },
			kind: ErrClient, msg: "Invalid 'extraHosts' setting for container 'app'. Each entry needs a hostname and an ipAddress."},
		{name: "environment name blank", base: ec2TD, mutate: func(td *TaskDefinition) { c0(td).Environment = []KeyValuePair{{Value: "x"}} },
			kind: ErrClient, msg: "Invalid environment variable name '' in container 'app'. Names must not be empty or contain '='."},
		{name: "environment files limit", base: ec2TD, mutate: func(td *TaskDefinition) {
			for i := 0; i < 11; i++ {
				c0(td).EnvironmentFiles = append(c0(td).EnvironmentFiles, EnvironmentFile{Value: "arn:aws:s3:::b/x.env", Type: EnvironmentFileS3})
			}
		}, kind: ErrClient, msg: "Container 'app' can have at most 10 environment files."},
		{name: "environment file type", base: ec2TD, mutate: func(td *TaskDefinition) {
			c0(td).EnvironmentFiles = []EnvironmentFile{{Value: "arn:aws:s3:::b/x.env", Type: "http"}}
		}, kind: ErrInvalidParameter, msg: "Value at 'environmentFiles.type' failed to satisfy constraint: Member must satisfy enum value set: [s3]"},
		{name: "secrets ssm name", base: fargateTD, mutate: func(td *TaskDefinition) {
			c0(td).Secrets = []Secret{{Name: "DB_PASSWORD", ValueFrom: "/prod/db/password"}}
		}},
		{name: "secrets need execution role", base: fargateTD, mutate: func(td *TaskDefinition) {
			td.ExecutionRoleARN = ""
			c0(td).Secrets = []Secret{{Name: "DB_PASSWORD", ValueFrom: "db-password"}}
		}, kind: ErrClient, msg: "When you are specifying container secrets, you must also specify a value for 'executionRoleArn'."},
		{name: "secret invalid ssm name", base: fargateTD, mutate: func(td *TaskDefinition) {
			c0(td).Secrets = []Secret{{Name: "JWT_KEY", ValueFrom: "my secret!"}}
		}, kind: ErrClient, msg: "The Systems Manager parameter name specified for secret JWT_KEY is invalid. The parameter name can be up to 2048 characters and include the following letters and symbols: a-zA-Z0-9_.-"},
		{name: "secret json key keeps colons", base: fargateTD, mutate: func(td *TaskDefinition) {
			c0(td).Secrets = []Secret{{Name: "PASSWORD", ValueFrom: smARN + ":password::"}}
		}},
		{name: "secret stage and version", base: fargateTD, mutate: func(td *TaskDefinition) {
			c0(td).Secrets = []Secret{{Name: "PASSWORD", ValueFrom: smARN + ":password:AWSPREVIOUS:1234"}}
		}, kind: ErrClient, msg: "The Secrets Manager secret ARN specified for secret PASSWORD is invalid. Specify either a version-stage or a version-id, not both."},
		{name: "secret json key without colons", base: fargateTD, mutate: func(td *TaskDefinition) {
			c0(td).Secrets = []Secret{{Name: "PASSWORD", ValueFrom: smARN + ":password"}}
		}, kind: ErrClient, msg: "The Secrets Manager secret ARN specified for secret PASSWORD is invalid. Use arn:aws:secretsmanager:<region>:<account>:secret:<name>, optionally followed by :<json-key>:<version-stage>:<version-id>."},
		{name: "secret from another service", base: fargateTD, mutate: func(td *TaskDefinition) {
			c0(td).Secrets = []Secret{{Name: "X", ValueFrom: "arn:aws:s3:::bucket/key"}}
		}, kind: ErrClient, msg: "The valueFrom of secret X must be a Systems Manager parameter name or ARN, or a Secrets Manager secret ARN."},
		{name: "secret names unique", base: fargateTD, mutate: func(td *TaskDefinition) {
			c0(td).Secrets = []Secret{{Name: "A", ValueFrom: "a"}, {Name: "A", ValueFrom: "b"}}
		}, kind: ErrClient, msg: "The secret name must be unique and not shared with any new or existing environment variables set on the container, such as 'A'."},
		{name: "secret shares environment name", base: fargateTD, mutate: func(td *TaskDefinition) {
			c0(td).Environment = []KeyValuePair{{Name: "A", Value: "x"}}
			c0(td).Secrets = []Secret{{Name: "A", ValueFrom: "a"}}
		}, kind: ErrClient, msg: "The secret name must be unique and not shared with any new or existing environment variables set on the container, such as 'A'."},
		{name: "repository credentials need execution role", base: ec2TD, mutate: func(td *TaskDefinition) {
			c0(td).RepositoryCredentials = &RepositoryCredentials{CredentialsParameter: smARN}
		}, kind: ErrClient, msg: "Private repository authentication requires that the task definition specify a value for executionRoleArn."},
		{name: "mount point unknown volume", base: ec2TD, mutate: func(td *TaskDefinition) {
			c0(td).MountPoints = []MountPoint{{SourceVolume: "data", ContainerPath: "/data"}}
		}, kind: ErrClient, msg: "Unknown volume 'data'."},
		{name: "mount point without volume", base: ec2TD, mutate: func(td *TaskDefinition) {
			c0(td).MountPoints = []MountPoint{{ContainerPath: "/data"}}
		}, kind: ErrClient, msg: "Unknown volume 'null'."},
		{name: "mount point without container path", base: ec2TD, mutate: func(td *TaskDefinition) {
			td.Volumes = []Volume{{Name: "data"}}
			c0(td).MountPoints = []MountPoint{{SourceVolume: "data"}}
		}, kind: ErrClient, msg: "Invalid 'mountPoints' setting for container 'app'. containerPath should not be null or empty."},
		{name: "mount point ok", base: ec2TD, mutate: func(td *TaskDefinition) {
			td.Volumes = []Volume{{Name: "data", Host: &HostVolume{SourcePath: "/srv"}}}
			c0(td).MountPoints = []MountPoint{{SourceVolume: "data", ContainerPath: "/data", ReadOnly: true}}
		}},
		{name: "volumes from unknown container", base: ec2TD, mutate: func(td *TaskDefinition) {
			c0(td).VolumesFrom = []VolumeFrom{{SourceContainer: "data"}}
		}, kind: ErrClient, msg: "Cannot mount volumes from container 'data' because it does not exist"},
		{name: "volumes from itself", base: ec2TD, mutate: func(td *TaskDefinition) {
			c0(td).VolumesFrom = []VolumeFrom{{SourceContainer: "app"}}
		}, kind: ErrClient, msg: "Cannot mount volumes from container 'app' because it does not exist"},
		{name: "depends on unknown container", base: ec2TD, mutate: func(td *TaskDefinition) {
			c0(td).DependsOn = []ContainerDependency{{ContainerName: "init", Condition: ConditionStart}}
		}, kind: ErrClient, msg: "Cannot depend on container + 'init' because it does not exist"},
		{name: "depends on condition enum", base: ec2TD, mutate: func(td *TaskDefinition) {
			td.ContainerDefinitions = append(td.ContainerDefinitions, sidecar("init"))
			c0(td).DependsOn = []ContainerDependency{{ContainerName: "init", Condition: "READY"}}
		}, kind: ErrInvalidParameter, msg: "Value at 'containerDefinitions.1.dependsOn.1.condition' failed to satisfy constraint: Member must satisfy enum value set: [START, COMPLETE, SUCCESS, HEALTHY]"},
		{name: "depends on essential with SUCCESS", base: ec2TD, mutate: func(td *TaskDefinition) {
			init := sidecar("init")
			init.Essential = true
			td.ContainerDefinitions = append(td.ContainerDefinitions, init)
			c0(td).DependsOn = []ContainerDependency{{ContainerName: "init", Condition: ConditionSuccess}}
		}, kind: ErrClient, msg: "A dependency container with SUCCESS or COMPLETE condition cannot be an essential container"},
		{name: "depends on non-essential with COMPLETE", base: ec2TD, mutate: func(td *TaskDefinition) {
			td.ContainerDefinitions = append(td.ContainerDefinitions, sidecar("init"))
			c0(td).DependsOn = []ContainerDependency{{ContainerName: "init", Condition: ConditionComplete}}
		}},
		{name: "depends on HEALTHY without health check", base: ec2TD, mutate: func(td *TaskDefinition) {
			td.ContainerDefinitions = append(td.ContainerDefinitions, sidecar("db"))
			c0(td).DependsOn = []ContainerDependency{{ContainerName: "db", Condition: ConditionHealthy}}
		}, kind: ErrClient, msg: "Container 'app' depends on container 'db' being HEALTHY, but 'db' has no healthCheck."},
		{name: "depends on HEALTHY with health check", base: ec2TD, mutate: func(td *TaskDefinition) {
			db := sidecar("db")
			db.HealthCheck = healthCheck()
			td.ContainerDefinitions = append(td.ContainerDefinitions, db)
			c0(td).DependsOn = []ContainerDependency{{ContainerName: "db", Condition: ConditionHealthy}}
		}},
		{name: "dependency cycle", base: ec2TD, mutate: func(td *TaskDefinition) {
			db := sidecar("db")
			db.DependsOn = []ContainerDependency{{ContainerName: "app", Condition: ConditionStart}}
			td.ContainerDefinitions = append(td.ContainerDefinitions, db)
			c0(td).DependsOn = []ContainerDependency{{ContainerName: "db", Condition: ConditionStart}}
		}, kind: ErrClient, msg: "Container dependencies should not have a cycle"},
		{name: "depends on itself", base: ec2TD, mutate: func(td *TaskDefinition) {
			c0(td).DependsOn = []ContainerDependency{{ContainerName: "app", Condition: ConditionStart}}
		}, kind: ErrClient, msg: "Container dependencies should not have a cycle"},
		{name: "negative timeout", base: ec2TD, mutate: func(td *TaskDefinition) { c0(td).StartTimeout = -time.Second },
			kind: ErrClient, msg: "Invalid timeout setting for container 'app'. Timeouts cannot be negative."},
		{name: "awslogs options required", base: fargateTD, mutate: func(td *TaskDefinition) {
			c0(td).LogConfiguration = &LogConfiguration{LogDriver: LogDriverAWSLogs}
		}, kind: ErrClient, msg: "Log driver awslogs requires options: awslogs-region, awslogs-group"},
		{name: "awslogs group missing", base: fargateTD, mutate: func(td *TaskDefinition) {
			c0(td).LogConfiguration = &LogConfiguration{LogDriver: LogDriverAWSLogs, Options: map[string]string{AWSLogsRegion: "us-east-1"}}
		}, kind: ErrClient, msg: "Log driver awslogs requires options: awslogs-group"},
		{name: "awslogs stream prefix on Fargate", base: fargateTD, mutate: func(td *TaskDefinition) {
			c0(td).LogConfiguration = &LogConfiguration{LogDriver: LogDriverAWSLogs, Options: map[string]string{AWSLogsRegion: "us-east-1", AWSLogsGroup: "/ecs/web"}}
		}, kind: ErrClient, msg: "Fargate requires log configuration options to include awslogs-stream-prefix to support log driver awslogs."},
		{name: "awslogs without stream prefix on EC2", base: ec2TD, mutate: func(td *TaskDefinition) {
			c0(td).LogConfiguration = &LogConfiguration{LogDriver: LogDriverAWSLogs, Options: map[string]string{AWSLogsRegion: "us-east-1", AWSLogsGroup: "/ecs/web"}}
		}},
		{name: "awslogs complete", base: fargateTD, mutate: func(td *TaskDefinition) {
			c0(td).LogConfiguration = &LogConfiguration{LogDriver: LogDriverAWSLogs, Options: map[string]string{
				AWSLogsRegion: "us-east-1", AWSLogsGroup: "/ecs/web", AWSLogsStreamPrefix: "web"}}
		}},
		{name: "log driver enum", base: ec2TD, mutate: func(td *TaskDefinition) { c0(td).LogConfiguration = &LogConfiguration{LogDriver: "loki"} },
			kind: ErrInvalidParameter, msg: "Value at 'containerDefinitions.1.logConfiguration.logDriver' failed to satisfy constraint: Member must satisfy enum value set: [json-file, syslog, journald, gelf, fluentd, awslogs, splunk, awsfirelens]"},
		{name: "log secret options need execution role", base: ec2TD, mutate: func(td *TaskDefinition) {
			c0(td).LogConfiguration = &LogConfiguration{LogDriver: LogDriverSplunk, SecretOptions: []Secret{{Name: "splunk-token", ValueFrom: "token"}}}
		}, kind: ErrClient, msg: "When you are specifying container secrets, you must also specify a value for 'executionRoleArn'."},
		{name: "health check command prefix", base: ec2TD, mutate: func(td *TaskDefinition) {
			c0(td).HealthCheck = healthCheck()
			c0(td).HealthCheck.Command = []string{"curl", "-f", "http://localhost/"}
		}, kind: ErrClient, msg: "Invalid 'healthCheck' setting for container 'app'. The command must start with CMD or CMD-SHELL."},
		{name: "health check CMD", base: ec2TD, mutate: func(td *TaskDefinition) {
			c0(td).HealthCheck = healthCheck()
			c0(td).HealthCheck.Command = []string{"CMD", "/bin/check"}
		}},
		{name: "health check interval low", base: ec2TD, mutate: func(td *TaskDefinition) {
			c0(td).HealthCheck = healthCheck()
			c0(td).HealthCheck.Interval = 4 * time.Second
		}, kind: ErrClient, msg: "Invalid 'healthCheck' setting for container 'app'. 'interval' must be between 5 and 300 seconds."},
		{name: "health check interval high", base: ec2TD, mutate: func(td *TaskDefinition) {
			c0(td).HealthCheck = healthCheck()
			c0(td).HealthCheck.Interval = 301 * time.Second
		}, kind: ErrClient, msg: "Invalid 'healthCheck' setting for container 'app'. 'interval' must be between 5 and 300 seconds."},
		{name: "health check timeout", base: ec2TD, mutate: func(td *TaskDefinition) {
			c0(td).HealthCheck = healthCheck()
			c0(td).HealthCheck.Timeout = 61 * time.Second
		}, kind: ErrClient, msg: "Invalid 'healthCheck' setting for container 'app'. 'timeout' must be between 2 and 60 seconds."},
		{name: "health check retries", base: ec2TD, mutate: func(td *TaskDefinition) {
			c0(td).HealthCheck = healthCheck()
			c0(td).HealthCheck.Retries = 11
		}, kind: ErrClient, msg: "Invalid 'healthCheck' setting for container 'app'. 'retries' must be between 1 and 10."},
		{name: "health check start period", base: ec2TD, mutate: func(td *TaskDefinition) {
			c0(td).HealthCheck = healthCheck()
			c0(td).HealthCheck.StartPeriod = 301 * time.Second
		}, kind: ErrClient, msg: "Invalid 'healthCheck' setting for container 'app'. 'startPeriod' must be between 0 and 300 seconds."},
		{name: "health check bounds", base: ec2TD, mutate: func(td *TaskDefinition) {
			c0(td).HealthCheck = &HealthCheck{Command: []string{"CMD-SHELL", "true"}, Interval: 300 * time.Second,
				Timeout: 2 * time.Second, Retries: 10, StartPeriod: 300 * time.Second}
		}},
	})
}

func TestValidateContainerOptions(t *testing.T) {
	runValidateCases(t, []validateCase{
		{name: "ulimit name enum", base: ec2TD, mutate: func(td *TaskDefinition) {
			c0(td).Ulimits = []Ulimit{{Name: "files", SoftLimit: 1, HardLimit: 2}}
		}, kind: ErrInvalidParameter, msg: "Value at 'containerDefinitions.1.ulimits.name' failed to satisfy constraint: Member must satisfy enum value set: [core, cpu, data, fsize, locks, memlock, msgqueue, nice, nofile, nproc, rss, rtprio, rttime, sigpending, stack]"},
		{name: "ulimit soft above hard", base: ec2TD, mutate: func(td *TaskDefinition) {
			c0(td).Ulimits = []Ulimit{{Name: "nofile", SoftLimit: 2048, HardLimit: 1024}}
		}, kind: ErrClient, msg: "Invalid ulimit 'nofile' in container 'app'. The softLimit cannot be greater than the hardLimit."},
		{name: "ulimit duplicate", base: ec2TD, mutate: func(td *TaskDefinition) {
			c0(td).Ulimits = []Ulimit{{Name: "nofile", SoftLimit: 1, HardLimit: 1}, {Name: "nofile", SoftLimit: 1, HardLimit: 1}}
		}, kind: ErrClient, msg: "Duplicate ulimit 'nofile' in container 'app'."},
		{name: "capability unknown", base: ec2TD, mutate: func(td *TaskDefinition) {
			c0(td).LinuxParameters = &LinuxParameters{Capabilities: KernelCapabilities{Drop: []string{"CAP_NET_RAW"}}}
		}, kind: ErrClient, msg: "Invalid 'linuxParameters.capabilities' setting for container 'app'. 'CAP_NET_RAW' is not a valid Linux capability."},
		{name: "device without host path", base: ec2TD, mutate: func(td *TaskDefinition) {
			c0(td).LinuxParameters = &LinuxParameters{Devices: []Device{{ContainerPath: "/dev/x"}}}
		}, kind: ErrClient, msg: "Invalid 'linuxParameters.devices' setting for container 'app'. hostPath should not be null or empty."},
		{name: "device permission enum", base: ec2TD, mutate: func(td *TaskDefinition) {
			c0(td).LinuxParameters = &LinuxParameters{Devices: []Device{{HostPath: "/dev/x", Permissions: []DeviceCgroupPermission{"exec"}}}}
		}, kind: ErrInvalidParameter, msg: "Value at 'containerDefinitions.1.linuxParameters.devices.permissions' failed to satisfy constraint: Member must satisfy enum value set: [read, write, mknod]"},
		{name: "tmpfs without size", base: ec2TD, mutate: func(td *TaskDefinition) {
			c0(td).LinuxParameters = &LinuxParameters{Tmpfs: []Tmpfs{{ContainerPath: "/tmp"}}}
		}, kind: ErrClient, msg: "Invalid 'linuxParameters.tmpfs' setting for container 'app'. Each tmpfs mount needs a containerPath and a positive size."},
		{name: "tmpfs mount option", base: ec2TD, mutate: func(td *TaskDefinition) {
			c0(td).LinuxParameters = &LinuxParameters{Tmpfs: []Tmpfs{{ContainerPath: "/tmp", Size: 8, MountOptions: []string{"fast"}}}}
		}, kind: ErrClient, msg: "Invalid tmpfs mount option 'fast' for container 'app'."},
		{name: "swappiness range", base: ec2TD, mutate: func(td *TaskDefinition) {
			c0(td).LinuxParameters = &LinuxParameters{MaxSwap: intp(0), Swappiness: intp(101)}
		}, kind: ErrClient, msg: "Invalid 'linuxParameters.swappiness' setting for container 'app'. The value must be between 0 and 100."},
		{name: "max swap negative", base: ec2TD, mutate: func(td *TaskDefinition) {
			c0(td).LinuxParameters = &LinuxParameters{MaxSwap: intp(-1)}
		}, kind: ErrClient, msg: "Invalid 'linuxParameters.maxSwap' setting for container 'app'. The value must be 0 or a positive integer."},
		{name: "linux parameters on ec2", base: ec2TD, mutate: func(td *TaskDefinition) {
			c0(td).Privileged = true
			c0(td).LinuxParameters = &LinuxParameters{
				Capabilities: KernelCapabilities{Add: []string{"NET_ADMIN"}}, Devices: []Device{{HostPath: "/dev/fuse", Permissions: []DeviceCgroupPermission{DevicePermissionRead}}},
				SharedMemorySize: 64, Tmpfs: []Tmpfs{{ContainerPath: "/run", Size: 16, MountOptions: []string{"noexec"}}},
				MaxSwap: intp(256), Swappiness: intp(10),
			}
		}},
		{name: "sysctl not namespaced", base: ec2TD, mutate: func(td *TaskDefinition) {
			c0(td).SystemControls = []SystemControl{{Namespace: "vm.swappiness", Value: "10"}}
		}, kind: ErrClient, msg: "Invalid 'systemControls' setting for container 'app'. 'vm.swappiness' is not a namespaced kernel parameter: use an IPC parameter (kernel.msg*, kernel.sem, kernel.shm*, fs.mqueue.*) or net.*."},
		{name: "network sysctl with host networking", base: ec2TD, mutate: func(td *TaskDefinition) {
			td.NetworkMode = NetworkModeHost
			c0(td).SystemControls = []SystemControl{{Namespace: "net.core.somaxconn", Value: "1024"}}
		}, kind: ErrClient, msg: "Network namespace systemControls are not supported when networkMode=host."},
		{name: "ipc sysctl with host ipc", base: ec2TD, mutate: func(td *TaskDefinition) {
			td.IPCMode = IPCModeHost
			c0(td).SystemControls = []SystemControl{{Namespace: "kernel.shmmax", Value: "1"}}
		}, kind: ErrClient, msg: "IPC namespace systemControls are not supported when ipcMode=host."},
		{name: "gpu value", base: ec2TD, mutate: func(td *TaskDefinition) {
			c0(td).ResourceRequirements = []ResourceRequirement{{Type: ResourceTypeGPU, Value: "zero"}}
		}, kind: ErrClient, msg: "Invalid GPU resource requirement for container 'app'. The value must be a positive number of GPUs."},
		{name: "gpu on ec2", base: ec2TD, mutate: func(td *TaskDefinition) {
			c0(td).ResourceRequirements = []ResourceRequirement{{Type: ResourceTypeGPU, Value: "2"}}
		}},
		{name: "resource type enum", base: ec2TD, mutate: func(td *TaskDefinition) {
			c0(td).ResourceRequirements = []ResourceRequirement{{Type: "TPU", Value: "1"}}
		}, kind: ErrInvalidParameter, msg: "Value at 'containerDefinitions.1.resourceRequirements.type' failed to satisfy constraint: Member must satisfy enum value set: [GPU, InferenceAccelerator]"},
		{name: "accelerator not defined", base: ec2TD, mutate: func(td *TaskDefinition) {
			c0(td).ResourceRequirements = []ResourceRequirement{{Type: ResourceTypeInferenceAccelerator, Value: "d1"}}
		}, kind: ErrClient, msg: "Container 'app' requires inference accelerator 'd1', which is not defined in the task definition."},
		{name: "duplicate gpu requirement", base: ec2TD, mutate: func(td *TaskDefinition) {
			c0(td).ResourceRequirements = []ResourceRequirement{{Type: ResourceTypeGPU, Value: "1"}, {Type: ResourceTypeGPU, Value: "1"}}
		}, kind: ErrClient, msg: "Container 'app' can have only one GPU resource requirement."},
		{name: "version consistency enum", base: ec2TD, mutate: func(td *TaskDefinition) { c0(td).VersionConsistency = "always" },
			kind: ErrInvalidParameter, msg: "Value at 'containerDefinitions.1.versionConsistency' failed to satisfy constraint: Member must satisfy enum value set: [enabled, disabled]"},
		{name: "firelens type enum", base: ec2TD, mutate: func(td *TaskDefinition) {
			c0(td).FirelensConfiguration = &FirelensConfiguration{Type: "vector"}
		}, kind: ErrInvalidParameter, msg: "Value at 'containerDefinitions.1.firelensConfiguration.type' failed to satisfy constraint: Member must satisfy enum value set: [fluentd, fluentbit]"},
		{name: "credential specs limit", base: ec2TD, mutate: func(td *TaskDefinition) {
			c0(td).CredentialSpecs = []string{"credentialspec:arn:aws:s3:::b/a", "credentialspec:arn:aws:s3:::b/b"}
		}, kind: ErrClient, msg: "Container 'app' can have at most one credentialSpecs entry."},
		{name: "credential spec form", base: ec2TD, mutate: func(td *TaskDefinition) { c0(td).CredentialSpecs = []string{"arn:aws:s3:::b/a"} },
			kind: ErrClient, msg: "Invalid 'credentialSpecs' setting for container 'app'. Use credentialspec:<ARN> or credentialspecdomainless:<ARN>."},
		{name: "docker security option form", base: ec2TD, mutate: func(td *TaskDefinition) { c0(td).DockerSecurityOptions = []string{"seccomp=unconfined"} },
			kind: ErrClient, msg: "Invalid 'dockerSecurityOptions' setting for container 'app'. Valid values are no-new-privileges, apparmor:PROFILE, label:value and credentialspec:CredentialSpecFilePath."},
		{name: "restart policy period", base: ec2TD, mutate: func(td *TaskDefinition) {
			c0(td).RestartPolicy = &RestartPolicy{Enabled: true, RestartAttemptPeriod: 30 * time.Second}
		}, kind: ErrClient, msg: "Invalid 'restartPolicy' setting for container 'app'. restartAttemptPeriod must be between 60 and 1800 seconds."},
		{name: "restart policy exit codes", base: ec2TD, mutate: func(td *TaskDefinition) {
			c0(td).RestartPolicy = &RestartPolicy{Enabled: true, IgnoredExitCodes: make([]int, 51)}
		}, kind: ErrClient, msg: "Invalid 'restartPolicy' setting for container 'app'. You can specify at most 50 ignoredExitCodes."},
		{name: "restart policy fine", base: ec2TD, mutate: func(td *TaskDefinition) {
			c0(td).RestartPolicy = &RestartPolicy{Enabled: true, IgnoredExitCodes: []int{0}, RestartAttemptPeriod: 60 * time.Second}
		}},
	})
}

func TestValidatePorts(t *testing.T) {
	runValidateCases(t, []validateCase{
		{name: "awsvpc ports differ", base: fargateTD, mutate: func(td *TaskDefinition) { c0(td).PortMappings[0].HostPort = 8080 },
			kind: ErrClient, msg: "When networkMode=awsvpc, the host ports and container ports in port mappings must match."},
		{name: "awsvpc host port zero", base: fargateTD, mutate: func(td *TaskDefinition) { c0(td).PortMappings[0].HostPort = 0 },
			kind: ErrClient, msg: "When networkMode=awsvpc, the host ports and container ports in port mappings must match."},
		{name: "host mode ports differ", base: ec2TD, mutate: func(td *TaskDefinition) {
			td.NetworkMode = NetworkModeHost
			c0(td).PortMappings = []PortMapping{{ContainerPort: 80, HostPort: 8080}}
		}, kind: ErrClient, msg: "When networkMode=host, the host ports and container ports in port mappings must match."},
		{name: "bridge dynamic host port", base: ec2TD, mutate: func(td *TaskDefinition) {
			c0(td).PortMappings = []PortMapping{{ContainerPort: 80}, {ContainerPort: 443, HostPort: 8443}}
		}},
		{name: "none mode with port", base: ec2TD, mutate: func(td *TaskDefinition) {
			td.NetworkMode = NetworkModeNone
			c0(td).PortMappings = []PortMapping{{ContainerPort: 80}}
		}, kind: ErrClient, msg: "Port mappings are not supported when networkMode=none."},
		{name: "container port missing", base: ec2TD, mutate: func(td *TaskDefinition) { c0(td).PortMappings = []PortMapping{{HostPort: 7000}} },
			kind: ErrClient, msg: "Invalid 'containerPort' setting for container 'app'."},
		{name: "container port too high", base: ec2TD, mutate: func(td *TaskDefinition) { c0(td).PortMappings = []PortMapping{{ContainerPort: 65536}} },
			kind: ErrClient, msg: "Invalid 'containerPort' setting for container 'app'."},
		{name: "host port too high", base: ec2TD, mutate: func(td *TaskDefinition) {
			c0(td).PortMappings = []PortMapping{{ContainerPort: 80, HostPort: 70000}}
		}, kind: ErrClient, msg: "Invalid 'hostPort' setting for container 'app'."},
		{name: "protocol enum", base: ec2TD, mutate: func(td *TaskDefinition) {
			c0(td).PortMappings = []PortMapping{{ContainerPort: 80, Protocol: "sctp"}}
		}, kind: ErrInvalidParameter, msg: "Value at 'containerDefinitions.1.portMappings.1.protocol' failed to satisfy constraint: Member must satisfy enum value set: [tcp, udp]"},
		{name: "app protocol enum", base: ec2TD, mutate: func(td *TaskDefinition) {
			c0(td).PortMappings = []PortMapping{{ContainerPort: 80, AppProtocol: "websocket"}}
		}, kind: ErrInvalidParameter, msg: "Value at 'containerDefinitions.1.portMappings.1.appProtocol' failed to satisfy constraint: Member must satisfy enum value set: [http, http2, grpc]"},
		{name: "same container port twice", base: ec2TD, mutate: func(td *TaskDefinition) {
			c0(td).PortMappings = []PortMapping{{ContainerPort: 80}, {ContainerPort: 80, Protocol: ProtocolTCP}}
		}, kind: ErrInvalidParameter, msg: "Container port 80 is used in more than one port mapping for container app"},
		{name: "same port tcp and udp", base: fargateTD, mutate: func(td *TaskDefinition) {
			c0(td).PortMappings = []PortMapping{{ContainerPort: 53, HostPort: 53, Protocol: ProtocolTCP}, {ContainerPort: 53, HostPort: 53, Protocol: ProtocolUDP}}
		}},
		{name: "host port mapped twice in task", base: fargateTD, mutate: func(td *TaskDefinition) {
			side := ContainerDefinition{Name: "side", Image: "x", PortMappings: []PortMapping{{ContainerPort: 80, HostPort: 80, Protocol: ProtocolTCP}}}
			td.ContainerDefinitions = append(td.ContainerDefinitions, side)
		}, kind: ErrClient, msg: "TCP host port '80' is mapped multiple times in task."},
		{name: "port mapping name", base: ec2TD, mutate: func(td *TaskDefinition) {
			c0(td).PortMappings = []PortMapping{{ContainerPort: 80, Name: "-web"}}
		}, kind: ErrClient, msg: "Invalid port mapping name '-web' in container 'app'. Use up to 64 lowercase letters, numbers, underscores and hyphens, not starting with a hyphen."},
		{name: "port mapping names unique", base: ec2TD, mutate: func(td *TaskDefinition) {
			c0(td).PortMappings = []PortMapping{{ContainerPort: 80, Name: "web"}, {ContainerPort: 81, Name: "web"}}
		}, kind: ErrClient, msg: "Port mapping names must be unique within a Task Definition. 'web' is used more than once."},
		{name: "port range", base: fargateTD, mutate: func(td *TaskDefinition) {
			c0(td).PortMappings = append(c0(td).PortMappings, PortMapping{ContainerPortRange: "8000-8010", Protocol: ProtocolTCP})
		}},
		{name: "port range malformed", base: fargateTD, mutate: func(td *TaskDefinition) {
			c0(td).PortMappings = []PortMapping{{ContainerPortRange: "8010-8000"}}
		}, kind: ErrClient, msg: "Invalid 'containerPortRange' setting for container 'app'. Use first-last, with 1 <= first < last <= 65535."},
		{name: "port range with container port", base: fargateTD, mutate: func(td *TaskDefinition) {
			c0(td).PortMappings = []PortMapping{{ContainerPort: 8000, HostPort: 8000, ContainerPortRange: "8000-8010"}}
		}, kind: ErrClient, msg: "Invalid port mapping in container 'app'. Specify containerPortRange without containerPort or hostPort."},
		{name: "port range with host networking", base: ec2TD, mutate: func(td *TaskDefinition) {
			td.NetworkMode = NetworkModeHost
			c0(td).PortMappings = []PortMapping{{ContainerPortRange: "8000-8010"}}
		}, kind: ErrClient, msg: "containerPortRange is supported only when networkMode=bridge or networkMode=awsvpc."},
		{name: "port range overlaps port", base: fargateTD, mutate: func(td *TaskDefinition) {
			c0(td).PortMappings = append(c0(td).PortMappings, PortMapping{ContainerPortRange: "79-81"})
		}, kind: ErrClient, msg: "Port ranges in container 'app' overlap. A port can be included in only one port mapping per container."},
	})
}

func TestValidateVolumes(t *testing.T) {
	runValidateCases(t, []validateCase{
		{name: "name invalid", base: ec2TD, mutate: func(td *TaskDefinition) { td.Volumes = []Volume{{Name: "my data"}} },
			kind: ErrClient, msg: "Volume name 'my data' is invalid. Up to 255 letters (uppercase and lowercase), numbers, underscores, and hyphens are allowed."},
		{name: "names unique", base: ec2TD, mutate: func(td *TaskDefinition) { td.Volumes = []Volume{{Name: "d"}, {Name: "d"}} },
			kind: ErrClient, msg: "Volume names must be unique within a Task Definition."},
		{name: "two kinds", base: ec2TD, mutate: func(td *TaskDefinition) {
			td.Volumes = []Volume{{Name: "d", Host: &HostVolume{}, DockerVolumeConfiguration: &DockerVolumeConfiguration{}}}
		}, kind: ErrClient, msg: "Volume 'd' may specify only one of host, dockerVolumeConfiguration, efsVolumeConfiguration, s3filesVolumeConfiguration, fsxWindowsFileServerVolumeConfiguration or configuredAtLaunch."},
		{name: "two configured at launch", base: ec2TD, mutate: func(td *TaskDefinition) {
			td.Volumes = []Volume{{Name: "a", ConfiguredAtLaunch: true}, {Name: "b", ConfiguredAtLaunch: true}}
		}, kind: ErrClient, msg: "A task definition can have only one volume configured at launch."},
		{name: "efs needs a name", base: ec2TD, mutate: func(td *TaskDefinition) {
			td.Volumes = []Volume{{EFSVolumeConfiguration: &EFSVolumeConfiguration{FileSystemID: "fs-1"}}}
		}, kind: ErrClient, msg: "Volume name should not be null or empty."},
		{name: "efs file system", base: ec2TD, mutate: func(td *TaskDefinition) {
			td.Volumes = []Volume{{Name: "e", EFSVolumeConfiguration: &EFSVolumeConfiguration{}}}
		}, kind: ErrClient, msg: "Volume 'e': efsVolumeConfiguration.fileSystemId should not be null or empty."},
		{name: "efs access point needs encryption", base: ec2TD, mutate: func(td *TaskDefinition) {
			td.Volumes = []Volume{{Name: "e", EFSVolumeConfiguration: &EFSVolumeConfiguration{FileSystemID: "fs-1",
				AuthorizationConfig: &EFSAuthorizationConfig{AccessPointID: "fsap-1"}}}}
		}, kind: ErrClient, msg: "Volume 'e': transit encryption must be ENABLED when an access point or IAM authorization is used."},
		{name: "efs access point root directory", base: ec2TD, mutate: func(td *TaskDefinition) {
			td.Volumes = []Volume{{Name: "e", EFSVolumeConfiguration: &EFSVolumeConfiguration{FileSystemID: "fs-1", RootDirectory: "/data",
				TransitEncryption: Enabled, AuthorizationConfig: &EFSAuthorizationConfig{AccessPointID: "fsap-1", IAM: Enabled}}}}
		}, kind: ErrClient, msg: "Volume 'e': when an access point is used, rootDirectory must be omitted or set to '/'."},
		{name: "efs complete", base: fargateTD, mutate: func(td *TaskDefinition) {
			td.Volumes = []Volume{{Name: "e", EFSVolumeConfiguration: &EFSVolumeConfiguration{FileSystemID: "fs-1", RootDirectory: "/",
				TransitEncryption: Enabled, TransitEncryptionPort: 2049, AuthorizationConfig: &EFSAuthorizationConfig{AccessPointID: "fsap-1", IAM: Enabled}}}}
		}},
		{name: "efs transit encryption enum", base: ec2TD, mutate: func(td *TaskDefinition) {
			td.Volumes = []Volume{{Name: "e", EFSVolumeConfiguration: &EFSVolumeConfiguration{FileSystemID: "fs-1", TransitEncryption: "ON"}}}
		}, kind: ErrInvalidParameter, msg: "Value at 'volumes.1.efsVolumeConfiguration.transitEncryption' failed to satisfy constraint: Member must satisfy enum value set: [ENABLED, DISABLED]"},
		{name: "docker autoprovision needs shared scope", base: ec2TD, mutate: func(td *TaskDefinition) {
			td.Volumes = []Volume{{Name: "d", DockerVolumeConfiguration: &DockerVolumeConfiguration{Scope: ScopeTask, Autoprovision: true}}}
		}, kind: ErrClient, msg: "Volume 'd': autoprovision can only be used with a Docker volume whose scope is shared."},
		{name: "docker scope enum", base: ec2TD, mutate: func(td *TaskDefinition) {
			td.Volumes = []Volume{{Name: "d", DockerVolumeConfiguration: &DockerVolumeConfiguration{Scope: "global"}}}
		}, kind: ErrInvalidParameter, msg: "Value at 'volumes.1.dockerVolumeConfiguration.scope' failed to satisfy constraint: Member must satisfy enum value set: [task, shared]"},
		{name: "fsx incomplete", base: ec2TD, mutate: func(td *TaskDefinition) {
			td.Volumes = []Volume{{Name: "f", FSxWindowsFileServerVolumeConfiguration: &FSxWindowsFileServerVolumeConfiguration{FileSystemID: "fs-1"}}}
		}, kind: ErrClient, msg: "Volume 'f': fsxWindowsFileServerVolumeConfiguration requires fileSystemId, rootDirectory and an authorizationConfig with credentialsParameter and domain."},
		{name: "s3 files need task role", base: ec2TD, mutate: func(td *TaskDefinition) {
			td.Volumes = []Volume{{Name: "s", S3FilesVolumeConfiguration: &S3FilesVolumeConfiguration{FileSystemARN: "arn:aws:s3files:us-east-1:000000000000:file-system/fs-1"}}}
		}, kind: ErrClient, msg: "Volume 's': S3 Files volumes require that the task definition specify a value for taskRoleArn."},
	})
}

func TestStartOrder(t *testing.T) {
	td := ec2TD()
	db := sidecar("db")
	init := sidecar("init")
	db.DependsOn = []ContainerDependency{{ContainerName: "init", Condition: ConditionComplete}}
	td.ContainerDefinitions = append(td.ContainerDefinitions, db, init)
	c0(td).DependsOn = []ContainerDependency{{ContainerName: "db", Condition: ConditionStart}}
	got := strings.Join(td.StartOrder(), ",")
	if got != "init,db,app" {
		t.Errorf("StartOrder() = %s, want init,db,app", got)
	}
}
