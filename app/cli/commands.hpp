// The subcommands of convscope-cli. Each returns the process exit code and
// throws (UsageError, cs::FormatError, cs::ShapeError...) with a one-line
// message on failure; main() prints it.
#pragma once

namespace cli {

int train_command(int argc, char** argv);
int eval_command(int argc, char** argv);
int predict_command(int argc, char** argv);
int export_weights_command(int argc, char** argv);
int ops_command(int argc, char** argv);

} // namespace cli
