#include "keras_reader_process.hpp"

#include "architecture_file.hpp"

#include <algorithm>
#include <chrono>
#include <csignal>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <thread>

#include <fcntl.h>
#include <spawn.h>
#include <sys/wait.h>
#include <unistd.h>

extern char** environ;

namespace cs {
namespace {

namespace fs = std::filesystem;

constexpr const char* reader_name = "convscope-keras-reader";

// A folder of its own in the temporary folder, removed with everything in it.
class TemporaryFolder {
public:
    TemporaryFolder()
    {
        std::string pattern = (fs::temp_directory_path() / "convscope-keras-XXXXXX").string();
        if (!mkdtemp(pattern.data())) throw FormatError("cannot make a temporary folder: " + std::string(std::strerror(errno)));
        path_ = pattern;
    }
    ~TemporaryFolder()
    {
        std::error_code ec;
        fs::remove_all(path_, ec);
    }
    TemporaryFolder(const TemporaryFolder&) = delete;
    TemporaryFolder& operator=(const TemporaryFolder&) = delete;
    const fs::path& path() const { return path_; }

private:
    fs::path path_;
};

std::string first_line(const fs::path& file)
{
    std::ifstream in(file);
    std::string line;
    std::getline(in, line);
    return line;
}

// Runs the reader; its exit code, or -signal when a signal ended it.
int run_reader(const std::string& reader, const std::vector<std::string>& args, const fs::path& out, const fs::path& err,
               const std::string& path)
{
    std::vector<char*> argv;
    std::vector<std::string> all{reader};
    all.insert(all.end(), args.begin(), args.end());
    for (std::string& a : all) argv.push_back(a.data());
    argv.push_back(nullptr);
    posix_spawn_file_actions_t actions;
    posix_spawn_file_actions_init(&actions);
    posix_spawn_file_actions_addopen(&actions, 1, out.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0600);
    posix_spawn_file_actions_addopen(&actions, 2, err.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0600);
    pid_t pid = 0;
    const int spawned = posix_spawn(&pid, reader.c_str(), &actions, nullptr, argv.data(), environ);
    posix_spawn_file_actions_destroy(&actions);
    if (spawned != 0) fail(path, "cannot start " + reader + ": " + std::strerror(spawned));
    std::error_code ec;
    const std::uintmax_t bytes = fs::file_size(path, ec);
    const int timeout = keras_reader_timeout_seconds(ec ? std::uintmax_t(-1) : bytes);
    const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(timeout);
    int status = 0;
    for (;;) {
        const pid_t done = waitpid(pid, &status, WNOHANG);
        if (done == pid) break;
        if (done < 0 && errno != EINTR) fail(path, std::string("lost the reader: ") + std::strerror(errno));
        if (std::chrono::steady_clock::now() > deadline) {
            kill(pid, SIGKILL);
            waitpid(pid, &status, 0);
            fail(path, "reading it took more than " + std::to_string(timeout) +
                           " seconds and was stopped: the file is damaged or far larger than a model");
        }
        std::this_thread::sleep_for(std::chrono::milliseconds(5));
    }
    if (WIFSIGNALED(status)) return -WTERMSIG(status);
    return WIFEXITED(status) ? WEXITSTATUS(status) : 1;
}

} // namespace

int keras_reader_timeout_seconds(std::uintmax_t file_bytes)
{
    const std::uintmax_t megabytes = file_bytes / (1024 * 1024);
    return int(std::min<std::uintmax_t>(10 + megabytes, 300));
}

std::string keras_reader_path()
{
    if (const char* env = std::getenv("CONVSCOPE_KERAS_READER"); env && *env) return env;
    std::error_code ec;
    const fs::path self = fs::read_symlink("/proc/self/exe", ec);
    if (!ec) {
        const fs::path beside = self.parent_path() / reader_name;
        if (fs::exists(beside, ec)) return beside.string();
    }
    const fs::path installed = CONVSCOPE_KERAS_READER_INSTALLED;
    if (fs::exists(installed, ec)) return installed.string();
    throw FormatError(std::string(reader_name) + ", which reads Keras files, is missing: it is neither beside " +
                      (self.empty() ? std::string("this program") : self.string()) + " nor at " + installed.string() +
                      " (reinstall ConvScope)");
}

ModelFile read_keras_in_child(const std::string& path, const std::optional<Architecture>& architecture)
{
    const std::string reader = keras_reader_path();
    const TemporaryFolder folder;
    const fs::path model = folder.path() / "model.npz", out = folder.path() / "out", err = folder.path() / "err";
    std::vector<std::string> args{path, model.string()};
    if (architecture) {
        const fs::path json = folder.path() / "architecture.json";
        write_architecture_file(json, *architecture);
        args.push_back(json.string());
    }
    const int code = run_reader(reader, args, out, err, path);
    if (code < 0)
        fail(path, std::string("the file is damaged: libhdf5 crashed reading it (") + strsignal(-code) +
                       "); ConvScope is unharmed");
    if (code == keras_reader_weights_only) throw KerasWeightsOnly(first_line(err));
    if (code != 0) {
        const std::string why = first_line(err);
        throw FormatError(why.empty() ? path + ": could not be read (the reader ended with code " + std::to_string(code) + ")"
                                      : why);
    }
    ModelFile f = load_model(model.string());
    f.origin = first_line(out);
    if (f.origin.empty()) f.origin = "Keras";
    return f;
}

} // namespace cs
