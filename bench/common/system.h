// What the benchmark programs need from the operating system: a monotonic clock, CPU pinning,
// a description of the machine, temporary directories and child processes (the servers under
// test and the command-line peers).
//
//   JIANDU_ASSIGN_OR_RETURN(bench::ChildProcess nginx,
//                           bench::ChildProcess::Spawn({"/usr/sbin/nginx", "-c", conf},
//                                                      {.cpus = {0}, .log_path = dir + "/log"}));
//   ...
//   nginx.Stop();
#pragma once

#include <sys/types.h>

#include <cstdint>
#include <string>
#include <vector>

#include "core/result.h"

namespace jiandu::bench {

// CLOCK_MONOTONIC in nanoseconds.
int64_t NowNs();

// The CPUs this process may run on (sched_getaffinity), ascending.
std::vector<int> AllowedCpus();
// Pins the calling thread (and the threads it creates later) to `cpus`; empty means all
// allowed CPUs. False if the kernel refuses.
bool PinThisThread(const std::vector<int>& cpus);
// Sets the calling thread's nice value (negative = more CPU when contended; needs root or
// CAP_SYS_NICE). False if refused.
bool SetThreadNice(int nice);
// "0", "0-1", "1,3".
std::string CpuListString(const std::vector<int>& cpus);

// "2 cores (nproc 2), AMD EPYC, Linux 6.1.0": nproc, /proc/cpuinfo's model name, kernel.
std::string MachineSummary();
// The file-system type holding `path` ("ext4", "tmpfs", "overlayfs", ...), for the caveat
// that fsync on tmpfs costs nothing.
std::string FileSystemType(const std::string& path);

// Creates a fresh directory `<base>/<prefix>XXXXXX` (mode 0755 so that nginx workers running as
// another user can read it).
Result<std::string> MakeTempDir(const std::string& base, const std::string& prefix);
// The directory for scratch data: $TMPDIR, else /tmp.
std::string DefaultTempBase();

struct SpawnOptions {
  std::vector<int> cpus;  // CPU affinity of the child; empty = inherit
  std::string stdout_path = "/dev/null";
  std::string stderr_path = "/dev/null";
};

// A child process that is stopped (SIGTERM, then SIGKILL after a grace period) when this object
// is destroyed. Movable, not copyable.
class ChildProcess {
 public:
  static Result<ChildProcess> Spawn(const std::vector<std::string>& argv,
                                    const SpawnOptions& options);
  ChildProcess() = default;
  ChildProcess(ChildProcess&& other) noexcept : pid_(other.pid_) { other.pid_ = -1; }
  ChildProcess& operator=(ChildProcess&& other) noexcept;
  ~ChildProcess() { Stop(); }

  pid_t pid() const { return pid_; }
  // True while the process has not exited.
  bool Running();
  // Moves every thread of the process to `cpus` (empty = all allowed CPUs).
  void Repin(const std::vector<int>& cpus) const;
  // SIGTERM, wait up to `grace_ms`, then SIGKILL; returns the exit status (waitpid form), or -1.
  int Stop(int grace_ms = 5000);

 private:
  pid_t pid_ = -1;
};

struct CommandOutput {
  int exit_code = -1;
  std::string out;     // standard output
  double seconds = 0;  // wall time from fork to exit
};

// Runs `argv` to completion with standard output captured; standard error passes through, or
// is discarded when `quiet` is set.
Result<CommandOutput> RunCommand(const std::vector<std::string>& argv,
                                 const std::vector<int>& cpus = {}, bool quiet = false);

// Reads a whole file; empty when it cannot be read.
std::string ReadFileOrEmpty(const std::string& path);

}  // namespace jiandu::bench
