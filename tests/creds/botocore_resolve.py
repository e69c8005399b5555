# botocore_resolve.py — the reference for test_botocore_diff.sh: resolve credentials with
# botocore (Debian python3-botocore) and print what tests/creds/resolve prints.
# Usage: /usr/bin/python3 botocore_resolve.py [PROFILE]
import sys

import botocore.exceptions as bx
import botocore.session

SOURCES = {
    "env": "env", "shared-credentials-file": "shared-credentials", "config-file": "config-file",
    "assume-role": "assume-role", "assume-role-with-web-identity": "web-identity", "sso": "sso",
    "custom-process": "process", "container-role": "container", "iam-role": "imds",
}
VIA_STS = ("assume-role", "web-identity", "sso")
ERRORS = [
    (bx.ConfigParseError, "ParseError"), (bx.ProfileNotFound, "ProfileNotFound"),
    (bx.InfiniteLoopConfigError, "SourceProfileLoop"), (bx.PartialCredentialsError, "PartialCredentials"),
    (bx.InvalidConfigError, "InvalidConfig"),
]

profile = sys.argv[1] if len(sys.argv) > 1 and sys.argv[1] else None
try:
    creds = botocore.session.Session(profile=profile).get_credentials()
    if creds is None:
        print("ERROR NoCredentials")
    else:
        source = SOURCES.get(creds.method, creds.method)
        print(source, "-" if source in VIA_STS else creds.access_key)
except Exception as e:  # noqa: BLE001 - every failure becomes a line to compare
    for cls, code in ERRORS:
        if isinstance(e, cls):
            print("ERROR", code)
            break
    else:
        print("ERROR", type(e).__name__)
