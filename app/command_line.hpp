// What the three programs (convscope, convscope-cli, bench) share to read
// their command lines with CLI11: validators whose range is both checked and
// printed in --help (so the two cannot disagree), a help layout with the
// defaults shown, and one way to turn a mistake into one line and exit code 2.
//
//   CLI::App app{"Watch a CNN learn.", "convscope"};
//   cmdline::use_house_style(app);
//   app.add_option("--pace", pace, "Run's steps per second")->transform(cmdline::real_number(0, 1000));
//   try { app.parse(argc, argv); } catch (const CLI::ParseError& e) { return cmdline::exit_code(app, e); }
#pragma once

#include <CLI/CLI.hpp>

#include <cstddef>
#include <string>
#include <utility>
#include <vector>

namespace cmdline {

// A whole number in [min, max], written in decimal ("010" is ten: CLI11 alone
// would read it as octal). The value is rewritten in canonical decimal
// before CLI11 converts it.
CLI::Validator whole_number(long long min, long long max);
// A finite number in [min, max].
CLI::Validator real_number(double min, double max);
// A finite number above 0 and at most max.
CLI::Validator positive_number(double max);
// One of the given words.
CLI::Validator one_of(const std::vector<std::string>& words);

// "A,B" (or "AxB", ...) with whole numbers in [min, max]; with
// `square_from_one`, a single "A" means "A,A". The value is rewritten as
// "A<separator>B" so that split_pair can read it.
CLI::Validator whole_number_pair(char separator, long long min, long long max, bool square_from_one);
// A value that whole_number_pair has checked and rewritten.
std::pair<std::size_t, std::size_t> split_pair(const std::string& text, char separator);

// The help layout: "usage:" first, then the description, then the options
// in their groups, each with its range and "[default: X]" (an option whose
// value is named with a colon, "GRID:INDEX", says so with option_text and
// its range in its description); flags written
// "--name=value" are refused, as a mistake rather than read as true/false.
// Call before adding options and commands: they copy these settings.
void use_house_style(CLI::App& app);

// What a failed parse becomes. --help and --version print to stdout and give
// 0; a mistake prints one line to stderr, "<program> <command>: <message>
// (see --help)", and gives 2.
int exit_code(const CLI::App& app, const CLI::ParseError& error);

// What --data (convscope-cli) and --dataset (the window) take, said once.
inline constexpr const char* dataset_help = "digits (built in), mnist, fashion, an IDX folder or an .npz file";

// "convscope-cli train": the program and the commands the user chose.
std::string command_path(const CLI::App& app);

} // namespace cmdline
