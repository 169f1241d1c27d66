#!/usr/bin/env bash
# Regenerates src/kafka/configKeys.generated.ts from the kafka-clients jar of
# the Kafka runtime (npm run fetch:kafka fetches it).
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
libs="${MIRROR_MAKER_KAFKA_HOME:-$here/../../../test/kafka-runtime}/libs"
out="$here/../src/kafka/configKeys.generated.ts"
mkdir -p "$(dirname "$out")"
java -cp "$libs/*" "$here/KafkaConfigKeys.java" > "$out.tmp"
mv "$out.tmp" "$out"
echo "wrote $out"
