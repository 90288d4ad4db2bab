#include "bench/common/system.h"

#include <fcntl.h>
#include <sched.h>
#include <signal.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/statfs.h>
#include <sys/utsname.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include <cerrno>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <sstream>

namespace jiandu::bench {
namespace {

void SetAffinityOrIgnore(pid_t pid, const std::vector<int>& cpus) {
  if (cpus.empty()) {
    return;
  }
  cpu_set_t set;
  CPU_ZERO(&set);
  for (int c : cpus) {
    CPU_SET(c, &set);
  }
  (void)sched_setaffinity(pid, sizeof set, &set);
}

std::vector<char*> CArgv(const std::vector<std::string>& argv) {
  std::vector<char*> out;
  for (const std::string& a : argv) {
    out.push_back(const_cast<char*>(a.c_str()));
  }
  out.push_back(nullptr);
  return out;
}

// In the child after fork: only async-signal-safe calls until exec.
[[noreturn]] void ExecChild(const std::vector<char*>& argv, const std::vector<int>& cpus,
                            int out_fd, int err_fd) {
  if (out_fd >= 0) {
    dup2(out_fd, STDOUT_FILENO);
  }
  if (err_fd >= 0) {
    dup2(err_fd, STDERR_FILENO);
  }
  SetAffinityOrIgnore(0, cpus);
  // A fresh process group, so that a Ctrl-C meant for the benchmark reaches the child only
  // through Stop() (which waits for it) instead of racing with it.
  setpgid(0, 0);
  execvp(argv[0], argv.data());
  _exit(127);
}

}  // namespace

int64_t NowNs() {
  timespec ts;
  clock_gettime(CLOCK_MONOTONIC, &ts);
  return static_cast<int64_t>(ts.tv_sec) * 1'000'000'000 + ts.tv_nsec;
}

std::vector<int> AllowedCpus() {
  cpu_set_t set;
  CPU_ZERO(&set);
  std::vector<int> out;
  if (sched_getaffinity(0, sizeof set, &set) != 0) {
    return out;
  }
  for (int c = 0; c < CPU_SETSIZE; ++c) {
    if (CPU_ISSET(c, &set)) {
      out.push_back(c);
    }
  }
  return out;
}

bool PinThisThread(const std::vector<int>& cpus) {
  std::vector<int> use = cpus.empty() ? AllowedCpus() : cpus;
  cpu_set_t set;
  CPU_ZERO(&set);
  for (int c : use) {
    CPU_SET(c, &set);
  }
  return sched_setaffinity(0, sizeof set, &set) == 0;
}

bool SetThreadNice(int nice) {
  // On Linux, PRIO_PROCESS with id 0 applies to the calling thread only.
  return setpriority(PRIO_PROCESS, 0, nice) == 0;
}

std::string CpuListString(const std::vector<int>& cpus) {
  std::string out;
  for (size_t i = 0; i < cpus.size();) {
    size_t j = i;
    while (j + 1 < cpus.size() && cpus[j + 1] == cpus[j] + 1) {
      ++j;
    }
    if (!out.empty()) {
      out += ",";
    }
    out += std::to_string(cpus[i]);
    if (j > i) {
      out += '-';
      out += std::to_string(cpus[j]);
    }
    i = j + 1;
  }
  return out.empty() ? "all" : out;
}

std::string MachineSummary() {
  std::string model = "unknown CPU";
  std::ifstream cpuinfo("/proc/cpuinfo");
  for (std::string line; std::getline(cpuinfo, line);) {
    if (line.rfind("model name", 0) == 0) {
      size_t colon = line.find(':');
      if (colon != std::string::npos) {
        model = line.substr(colon + 2);
      }
      break;
    }
  }
  long online = sysconf(_SC_NPROCESSORS_ONLN);
  utsname u{};
  uname(&u);
  return std::to_string(online) + " cores (nproc " + std::to_string(AllowedCpus().size()) + "), " +
         model + ", Linux " + u.release;
}

std::string FileSystemType(const std::string& path) {
  struct statfs fs {};
  if (statfs(path.c_str(), &fs) != 0) {
    return "unknown";
  }
  switch (static_cast<unsigned long>(fs.f_type)) {
    case 0xEF53:
      return "ext4";
    case 0x01021994:
      return "tmpfs";
    case 0x58465342:
      return "xfs";
    case 0x9123683E:
      return "btrfs";
    case 0x794C7630:
      return "overlayfs";
    case 0x2FC12FC1:
      return "zfs";
    default:
      break;
  }
  char hex[32];
  std::snprintf(hex, sizeof hex, "0x%lx", static_cast<unsigned long>(fs.f_type));
  return hex;
}

Result<std::string> MakeTempDir(const std::string& base, const std::string& prefix) {
  std::string tmpl = base + "/" + prefix + "XXXXXX";
  if (mkdtemp(tmpl.data()) == nullptr) {
    return Status::Unavailable("cannot create a directory under " + base + ": " +
                               std::strerror(errno));
  }
  chmod(tmpl.c_str(), 0755);
  return tmpl;
}

std::string DefaultTempBase() {
  const char* t = std::getenv("TMPDIR");
  return t != nullptr && *t != '\0' ? t : "/tmp";
}

Result<ChildProcess> ChildProcess::Spawn(const std::vector<std::string>& argv,
                                         const SpawnOptions& o) {
  int out_fd = open(o.stdout_path.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
  int err_fd = open(o.stderr_path.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
  if (out_fd < 0 || err_fd < 0) {
    if (out_fd >= 0) {
      close(out_fd);
    }
    if (err_fd >= 0) {
      close(err_fd);
    }
    return Status::Unavailable("cannot open the log files of " + argv[0]);
  }
  std::vector<char*> cargv = CArgv(argv);
  pid_t pid = fork();
  if (pid == 0) {
    ExecChild(cargv, o.cpus, out_fd, err_fd);
  }
  close(out_fd);
  close(err_fd);
  if (pid < 0) {
    return Status::Unavailable(std::string("fork: ") + std::strerror(errno));
  }
  ChildProcess c;
  c.pid_ = pid;
  return c;
}

ChildProcess& ChildProcess::operator=(ChildProcess&& other) noexcept {
  if (this != &other) {
    Stop();
    pid_ = other.pid_;
    other.pid_ = -1;
  }
  return *this;
}

bool ChildProcess::Running() {
  if (pid_ <= 0) {
    return false;
  }
  int status = 0;
  pid_t r = waitpid(pid_, &status, WNOHANG);
  if (r == pid_) {
    pid_ = -1;
    return false;
  }
  return true;
}

void ChildProcess::Repin(const std::vector<int>& cpus) const {
  if (pid_ <= 0) {
    return;
  }
  const std::vector<int> use = cpus.empty() ? AllowedCpus() : cpus;
  std::error_code ec;
  for (const auto& task :
       std::filesystem::directory_iterator("/proc/" + std::to_string(pid_) + "/task", ec)) {
    SetAffinityOrIgnore(static_cast<pid_t>(std::stol(task.path().filename().string())), use);
  }
}

int ChildProcess::Stop(int grace_ms) {
  if (pid_ <= 0) {
    return -1;
  }
  kill(pid_, SIGTERM);
  int status = -1;
  for (int waited = 0; waited <= grace_ms; waited += 10) {
    if (waitpid(pid_, &status, WNOHANG) == pid_) {
      pid_ = -1;
      return status;
    }
    usleep(10'000);
  }
  kill(pid_, SIGKILL);
  waitpid(pid_, &status, 0);
  pid_ = -1;
  return status;
}

Result<CommandOutput> RunCommand(const std::vector<std::string>& argv, const std::vector<int>& cpus,
                                 bool quiet) {
  int fds[2];
  if (pipe2(fds, O_CLOEXEC) != 0) {
    return Status::Unavailable(std::string("pipe: ") + std::strerror(errno));
  }
  std::vector<char*> cargv = CArgv(argv);
  const int null_fd = quiet ? open("/dev/null", O_WRONLY | O_CLOEXEC) : -1;
  const int64_t start = NowNs();
  pid_t pid = fork();
  if (pid == 0) {
    ExecChild(cargv, cpus, fds[1], null_fd);
  }
  close(fds[1]);
  if (null_fd >= 0) {
    close(null_fd);
  }
  if (pid < 0) {
    close(fds[0]);
    return Status::Unavailable(std::string("fork: ") + std::strerror(errno));
  }
  CommandOutput out;
  char buf[4096];
  for (;;) {
    ssize_t n = read(fds[0], buf, sizeof buf);
    if (n > 0) {
      out.out.append(buf, static_cast<size_t>(n));
    } else if (n == 0 || errno != EINTR) {
      break;
    }
  }
  close(fds[0]);
  int status = 0;
  waitpid(pid, &status, 0);
  out.seconds = static_cast<double>(NowNs() - start) / 1e9;
  out.exit_code = WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
  return out;
}

std::string ReadFileOrEmpty(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  std::stringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

}  // namespace jiandu::bench
