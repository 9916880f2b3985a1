// convscope-keras-reader IN OUT.npz [ARCH.json]: a Keras file (keras_file.hpp)
// written back as a ConvScope model file. It runs in a process of its own
// so that libhdf5, which a damaged file can crash, never takes the window or
// the CLI down with it (keras_reader_process.hpp has the protocol).
#include "architecture_file.hpp"
#include "errors.hpp"
#include "keras_file.hpp"
#include "keras_reader_process.hpp"
#include "model_file.hpp"

#include <cstdio>
#include <exception>

#include <signal.h>
#include <sys/prctl.h>
#include <unistd.h>

int main(int argc, char** argv)
{
    // Ends with the program that started it: one killed (or a fuzzer timed
    // out) while libhdf5 loops here must not leave this process spinning.
    const pid_t parent = ::getppid();
    ::prctl(PR_SET_PDEATHSIG, SIGKILL);
    if (::getppid() != parent) return 1; // the parent was gone before prctl

    if (argc != 3 && argc != 4) {
        std::fprintf(stderr, "usage: convscope-keras-reader IN OUT.npz [ARCH.json]\n");
        return 2;
    }
    const std::string in = argv[1], out = argv[2];
    try {
        cs::ModelFile f;
        if (argc == 4) {
            f.model = cs::plan_model(cs::read_architecture_file(argv[3]), in);
            f.model->allocate();
            cs::load_keras_weights(in, *f.model);
            f.origin = "Keras weights";
        } else {
            if (cs::is_keras_weights_only(in)) {
                try {
                    cs::load_keras_model(in); // refuses it, saying what to do instead
                } catch (const std::exception& e) {
                    std::fprintf(stderr, "%s\n", e.what());
                }
                return cs::keras_reader_weights_only;
            }
            f = cs::load_keras_model(in);
        }
        cs::save_model(out, *f.model);
        std::printf("%s\n", f.origin.c_str());
        return 0;
    } catch (const std::exception& e) {
        std::fprintf(stderr, "%s\n", e.what());
        return 1;
    }
}
