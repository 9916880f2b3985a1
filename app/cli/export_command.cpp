// convscope-cli export-weights MODEL OUT.npz
#include "args.hpp"
#include "commands.hpp"

#include "shipped_model.hpp"

#include <cstdio>

namespace cli {

int export_weights_command(int argc, char** argv)
{
    const Args args(argc, argv, 2, {}, {});
    if (args.help())
        return std::fputs("usage: convscope-cli export-weights MODEL OUT.npz\n"
                          "  writes the weights with Keras' names and shapes: conv2d/kernel (5,5,1,6), conv2d/bias,\n"
                          "  conv2d_1/..., dense/kernel (400,120), dense_1/..., dense_2/...; numpy.load reads it,\n"
                          "  and `train --init OUT.npz` starts from it.\n",
                          stdout),
               0;
    if (args.positional().size() != 2) throw UsageError("give MODEL and OUT.npz");
    const cs::ModelFile f = cs::open_model(args.positional()[0]);
    cs::export_weights_npz(args.positional()[1], *f.model);
    std::printf("wrote %s\n", args.positional()[1].c_str());
    return 0;
}

} // namespace cli
