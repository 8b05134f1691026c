package wire

// Regenerate the wire packages from botocore's models (pip or Debian's
// python3-botocore): BOTOCORE_DATA=$(python3 -c 'import botocore,os;print(os.path.dirname(botocore.__file__))')/data go generate ./internal/wire

//go:generate go run ../../tools/awsgen -model ${BOTOCORE_DATA}/ecs/2014-11-13/service-2.json.gz -pkg ecswire -out ecswire/ecswire.go
//go:generate go run ../../tools/awsgen -model ${BOTOCORE_DATA}/sts/2011-06-15/service-2.json.gz -pkg stswire -out stswire/stswire.go
