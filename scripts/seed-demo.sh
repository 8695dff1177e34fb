#!/usr/bin/env bash
# First run only: a demo office and one user per role, with generated
# passwords printed once and kept in DATA/secrets/demo-users.txt.
set -eu
data=${1:?DATA_DIR}
root=$(cd "$(dirname "$0")/.." && pwd)
list="$data/secrets/demo-users.txt"
if [ -f "$list" ]; then
	echo "medex: demo logins are in $list"
	exit 0
fi
if ! "$root/bin/medexctl" 2>&1 | grep -q 'user add'; then
	exit 0
fi
umask 077
"$root/bin/medexctl" office add DEMO "Demo Medical Examiner Office" >/dev/null
tmp=$(mktemp)
# Staff names as the pages show them: plainly made up.
name_of() {
	case $1 in
	medical_examiner)	echo "Dr Nia Demo-Evans" ;;
	lead_medical_examiner)	echo "Dr Kofi Demo-Mensah" ;;
	officer)		echo "Sam Demo-Patel" ;;
	liaison_officer)	echo "Alex Demo-Byrne" ;;
	analyst)		echo "Jo Demo-Analyst" ;;
	national_analyst)	echo "Pat Demo-National" ;;
	*)			echo "Demo Admin" ;;
	esac
}
for role in medical_examiner lead_medical_examiner officer liaison_officer \
    analyst national_analyst admin; do
	user="demo.${role//_/.}"
	pw=$(head -c 18 /dev/urandom | base64 | tr '+/' '-_')
	printf '%s\n' "$pw" | "$root/bin/medexctl" user add "$user" \
	    --role "$role" --office DEMO --name "$(name_of "$role")" >/dev/null
	printf '%-28s %-24s %s\n' "$user" "$role" "$pw" >> "$tmp"
done
mv "$tmp" "$list"
echo "medex: demo office DEMO created. Sign in at http://127.0.0.1:${MEDEX_PORT:-8888}/login"
# The passwords go to a terminal only, never into a log or CI output.
if [ -t 1 ]; then
	echo "       or POST /api/v1/auth/login with one of these (shown once; kept in $list):"
	cat "$list"
else
	echo "       with a username and password from $list (mode 0600)"
fi
