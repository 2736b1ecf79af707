#!/usr/bin/env bash
# A real two-node Slurm cluster on this one machine, for the Slurm launcher's tests and docs/scale-out.md's figures:
# munged, slurmctld and two emulated slurmd nodes (n1, n2) on 127.0.0.1 with their own ports, one CPU each, no
# accounting (squeue --json and scontrol work; sacct does not). No systemd: the daemons run in the foreground of
# background jobs, their config, state and logs in one folder (TUNE_SLURM_DIR, default /tmp/tune-slurm).
#   build/slurm-cluster.sh start   # installs Debian's slurm-wlm, slurm-client and munge when missing; waits until both nodes are idle
#   build/slurm-cluster.sh stop    # stops the daemons this script started
#   build/slurm-cluster.sh status
# Needs root (slurmd runs jobs as their submitting user, and munged needs its own user).
set -euo pipefail
dir=${TUNE_SLURM_DIR:-/tmp/tune-slurm}
conf="$dir/slurm.conf"

install() {
  command -v slurmctld >/dev/null 2>&1 && command -v sbatch >/dev/null 2>&1 && command -v munged >/dev/null 2>&1 && return 0
  apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq slurm-wlm slurm-client munge >/dev/null
}

write_config() {
  mkdir -p "$dir/state" "$dir/n1" "$dir/n2" "$dir/log"
  cat >"$conf" <<CONF
ClusterName=tune
SlurmctldHost=localhost(127.0.0.1)
SlurmctldPort=6817
SlurmdPort=6818
SlurmUser=root
SlurmdUser=root
AuthType=auth/munge
StateSaveLocation=$dir/state
SlurmdSpoolDir=$dir/%n
SlurmctldPidFile=$dir/slurmctld.pid
SlurmdPidFile=$dir/slurmd-%n.pid
SlurmctldLogFile=$dir/log/slurmctld.log
SlurmdLogFile=$dir/log/slurmd-%n.log
ProctrackType=proctrack/linuxproc
TaskPlugin=task/none
SchedulerType=sched/backfill
SelectType=select/cons_tres
SelectTypeParameters=CR_CPU
AccountingStorageType=accounting_storage/none
JobAcctGatherType=jobacct_gather/none
JobCompType=jobcomp/none
MpiDefault=none
ReturnToService=2
SlurmdTimeout=30
InactiveLimit=0
KillWait=5
MinJobAge=300
NodeName=n1 NodeAddr=127.0.0.1 Port=17001 CPUs=1 RealMemory=2000 State=UNKNOWN
NodeName=n2 NodeAddr=127.0.0.1 Port=17002 CPUs=1 RealMemory=2000 State=UNKNOWN
PartitionName=tune Nodes=n1,n2 Default=YES MaxTime=INFINITE State=UP OverSubscribe=FORCE:4
CONF
}

start() {
  if [ -f "$dir/slurmctld.pid" ] && kill -0 "$(cat "$dir/slurmctld.pid")" 2>/dev/null; then
    echo "Slurm cluster already up: SLURM_CONF=$conf"
    return 0
  fi
  install
  write_config
  mkdir -p /run/munge /var/log/munge /var/lib/munge
  chown munge:munge /run/munge /var/log/munge /var/lib/munge 2>/dev/null || true
  [ -f /etc/munge/munge.key ] || { runuser -u munge -- /usr/sbin/mungekey --create 2>/dev/null || dd if=/dev/urandom bs=1 count=1024 of=/etc/munge/munge.key 2>/dev/null; chown munge:munge /etc/munge/munge.key; chmod 400 /etc/munge/munge.key; }
  if ! pgrep -u munge -x munged >/dev/null; then
    runuser -u munge -- /usr/sbin/munged --force
  fi
  export SLURM_CONF="$conf"
  /usr/sbin/slurmctld -f "$conf" -c >"$dir/log/slurmctld.out" 2>&1
  /usr/sbin/slurmd -f "$conf" -N n1 >"$dir/log/slurmd-n1.out" 2>&1
  /usr/sbin/slurmd -f "$conf" -N n2 >"$dir/log/slurmd-n2.out" 2>&1
  for _ in $(seq 1 60); do
    if [ "$(sinfo -h -N -o '%t' 2>/dev/null | grep -c '^idle')" = 2 ]; then
      echo "Slurm cluster up: SLURM_CONF=$conf (nodes n1, n2, partition tune)"
      return 0
    fi
    sleep 1
  done
  echo "Slurm did not come up; see $dir/log" >&2
  sinfo -N >&2 || true
  return 1
}

stop() {
  for pidfile in "$dir"/slurmd-n1.pid "$dir"/slurmd-n2.pid "$dir"/slurmctld.pid; do
    [ -f "$pidfile" ] && kill "$(cat "$pidfile")" 2>/dev/null || true
  done
  rm -f "$dir"/*.pid
}

case "${1:-}" in
  start) start ;;
  stop) stop ;;
  status) SLURM_CONF="$conf" sinfo -N ;;
  *) echo "usage: $0 start|stop|status" >&2; exit 2 ;;
esac
