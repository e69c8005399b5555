# bash completion for flightdeck
_flightdeck()
{
	local cur prev words cword
	_init_completion 2>/dev/null || { cur=${COMP_WORDS[COMP_CWORD]}; prev=${COMP_WORDS[COMP_CWORD-1]}; }
	local globals="--profile --region --endpoint-url --config --read-only --demo --refresh --exit-after --no-color --ascii --debug --help --version"
	local cmds="snapshot call whoami sigv4 runbook sim"
	case "$prev" in
	--profile)
		COMPREPLY=($(compgen -W "$(sed -n 's/^\[profile \(.*\)\]$/\1/p; s/^\[default\]$/default/p' "${AWS_CONFIG_FILE:-$HOME/.aws/config}" 2>/dev/null)" -- "$cur"))
		return ;;
	--config|--debug|--input-json|--scenario) COMPREPLY=($(compgen -f -- "$cur")); return ;;
	--region) COMPREPLY=($(compgen -W "ap-northeast-1 ap-northeast-2 us-east-1 us-west-2 eu-west-1" -- "$cur")); return ;;
	--print) COMPREPLY=($(compgen -W "authz creq sts sreq" -- "$cur")); return ;;
	esac
	local i cmd=""
	for ((i = 1; i < COMP_CWORD; i++)); do
		case "${COMP_WORDS[i]}" in
		snapshot|call|whoami|sigv4|runbook|sim) cmd=${COMP_WORDS[i]}; break ;;
		esac
	done
	case "$cmd" in
	"") COMPREPLY=($(compgen -W "$globals $cmds" -- "$cur")) ;;
	snapshot|whoami) COMPREPLY=($(compgen -W "--json" -- "$cur")) ;;
	call) COMPREPLY=($(compgen -W "cloudwatch autoscaling elbv2 route53 xray sts rds route53-recovery-cluster --input-json --all-pages --yes" -- "$cur")) ;;
	runbook) COMPREPLY=($(compgen -W "list show validate plan run resume --yes -p" -- "$cur")) ;;
	sim) COMPREPLY=($(compgen -W "--listen --scenario --seed --fault fault clear" -- "$cur")) ;;
	sigv4) COMPREPLY=($(compgen -W "--access-key --secret-key --session-token --region --service --time --no-normalize --print" -- "$cur") $(compgen -f -- "$cur")) ;;
	esac
}
complete -F _flightdeck flightdeck
