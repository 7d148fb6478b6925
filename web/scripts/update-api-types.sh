#!/usr/bin/env bash
# Fetches every service's OpenAPI document through the gateway of the real app model (started by the web test
# project's ApiDocuments test on random ports), saves them in web/openapi/ and regenerates src/lib/api/generated/.
# A service that serves no document yet is left out (the test lists which).
set -euo pipefail
cd "$(dirname "$0")/../.."
out="$(pwd)/web/openapi"
AHOD_OPENAPI_OUT="$out" dotnet test tests/Ahod.Web.Tests --filter "FullyQualifiedName~ApiDocuments" --logger "console;verbosity=normal"
cd web && npm run api:types
