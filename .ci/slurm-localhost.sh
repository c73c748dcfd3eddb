#!/usr/bin/env bash
# A real single-node SLURM on localhost for testing profiles/slurm (facts: ../shared/spec/SLURM.md).
#   .ci/slurm-localhost.sh up     install (Debian slurm-wlm + munge, as root) and start munged, slurmctld, slurmd
#   .ci/slurm-localhost.sh down   stop exactly the daemons `up` started, by their PID files
# State lives in $SLURM_STATE (default /tmp/delex-slurm): slurm.conf, PID files, logs, spool.
# SLURM_CPUS (default: nproc) is the node's advertised CPU count. CI advertises more than it has, so
# that short jobs run beside long ones instead of queueing behind the plugin's status polls (which
# back off by 10 s per poll while nothing finishes); SLURM then schedules more single-CPU jobs at once.
set -euo pipefail
STATE=${SLURM_STATE:-/tmp/delex-slurm}
CONF=/etc/slurm/slurm.conf

up() {
    if ! command -v slurmctld >/dev/null || ! command -v munged >/dev/null; then
        export DEBIAN_FRONTEND=noninteractive
        apt-get update -qq
        apt-get install -y -qq --no-install-recommends slurm-wlm munge >/dev/null
    fi
    mkdir -p "$STATE"/{spool/ctld,spool/d,log} /etc/slurm
    local host cpus mem
    host=$(hostname -s)
    cpus=${SLURM_CPUS:-$(nproc)}
    local overrides=""
    # A node advertising more CPUs than slurmd detects is drained unless told to trust slurm.conf.
    ((cpus > $(nproc))) && overrides="SlurmdParameters=config_overrides"
    mem=$(awk '/MemTotal/ {printf "%d", $2 / 1024 * 0.9}' /proc/meminfo)
    cat >"$CONF" <<CONF
ClusterName=delexci
SlurmctldHost=${host}(127.0.0.1)
SlurmUser=root
SlurmdUser=root
AuthType=auth/munge
CredType=cred/munge
ProctrackType=proctrack/linuxproc
TaskPlugin=task/none
AccountingStorageType=accounting_storage/none
JobAcctGatherType=jobacct_gather/none
SelectType=select/cons_tres
SelectTypeParameters=CR_Core_Memory
MinJobAge=300
ReturnToService=2
${overrides}
StateSaveLocation=$STATE/spool/ctld
SlurmdSpoolDir=$STATE/spool/d
SlurmctldPidFile=$STATE/slurmctld.pid
SlurmdPidFile=$STATE/slurmd.pid
SlurmctldLogFile=$STATE/log/slurmctld.log
SlurmdLogFile=$STATE/log/slurmd.log
NodeName=${host} NodeAddr=127.0.0.1 CPUs=${cpus} RealMemory=${mem} State=UNKNOWN
PartitionName=debug Nodes=${host} Default=YES MaxTime=INFINITE State=UP
CONF
    install -d -o munge -g munge /run/munge
    if ! munge -n 2>/dev/null | unmunge >/dev/null 2>&1; then
        runuser -u munge -- munged --pid-file=/run/munge/munged.pid 2>/dev/null || runuser -u munge -- munged
        cp /run/munge/munged.pid "$STATE/munged.pid" 2>/dev/null || pgrep -u munge -n munged >"$STATE/munged.pid"
    fi
    munge -n | unmunge | grep -q "STATUS: *Success"
    slurmctld -c -f "$CONF"
    slurmd -f "$CONF"
    for _ in $(seq 30); do
        if sinfo -h -o %T 2>/dev/null | grep -q idle; then
            sinfo
            return 0
        fi
        sleep 1
    done
    echo "slurm node not idle after 30 s; see $STATE/log" >&2
    sinfo >&2 || true
    return 1
}

down() {
    # slurmd first, then slurmctld (saves state on TERM, ~5 s), then munged: only the PIDs we started.
    for d in slurmd slurmctld munged; do
        local pidfile="$STATE/$d.pid"
        [[ -s $pidfile ]] || continue
        local pid
        pid=$(cat "$pidfile")
        if kill -0 "$pid" 2>/dev/null; then
            kill -TERM "$pid"
            for _ in $(seq 20); do kill -0 "$pid" 2>/dev/null || break; sleep 0.5; done
            kill -0 "$pid" 2>/dev/null && kill -KILL "$pid"
        fi
        rm -f "$pidfile"
    done
}

case "${1:-}" in
up) up ;;
down) down ;;
*)
    echo "usage: $0 up|down" >&2
    exit 2
    ;;
esac
