#include "command_line.hpp"

#include <cerrno>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <sstream>

namespace cmdline {

namespace {

// 1000000, not 1e+06: ranges are read by people.
std::string number_text(double x)
{
    std::ostringstream out;
    out.precision(12);
    out << x;
    return out.str();
}

std::string in_quotes(const std::string& text) { return "'" + text + "'"; }

// The whole of `text` as a decimal integer, or false.
bool parse_whole(const std::string& text, long long& value)
{
    if (text.empty()) return false;
    char* end = nullptr;
    errno = 0;
    value = std::strtoll(text.c_str(), &end, 10);
    return errno == 0 && *end == '\0';
}

// The whole of `text` as a finite number, or false ("nan", "inf" and "1e400"
// are not numbers a user means).
bool parse_finite(const std::string& text, double& value)
{
    if (text.empty()) return false;
    char* end = nullptr;
    errno = 0;
    value = std::strtod(text.c_str(), &end);
    return errno == 0 && *end == '\0' && std::isfinite(value);
}

std::string joined_with_or(const std::vector<std::string>& words)
{
    std::string out;
    for (std::size_t i = 0; i < words.size(); ++i) {
        if (i > 0) out += i + 1 == words.size() ? " or " : ", ";
        out += words[i];
    }
    return out;
}

// The last command the user chose: the app whose options were being read.
const CLI::App& chosen_command(const CLI::App& app)
{
    const std::vector<CLI::App*> chosen = app.get_subcommands();
    return chosen.empty() ? app : chosen_command(*chosen.front());
}

std::vector<std::string> command_names(const CLI::App& app)
{
    std::vector<std::string> names;
    for (const CLI::App* sub : app.get_subcommands([](const CLI::App* s) { return !s->get_name().empty(); }))
        names.push_back(sub->get_name());
    return names;
}

// CLI11's messages for the two commonest mistakes, said plainly.
std::string plain_message(const CLI::App& app, const CLI::ParseError& error)
{
    const CLI::App& command = chosen_command(app);
    const std::vector<std::string> commands = command_names(command);
    const std::vector<std::string> extra = command.remaining();
    if (!commands.empty() && command.get_subcommands().empty() &&
        (dynamic_cast<const CLI::RequiredError*>(&error) || dynamic_cast<const CLI::ExtrasError*>(&error))) {
        if (extra.empty() || extra.front().starts_with('-'))
            return "name a command: " + joined_with_or(commands);
        return "unknown command " + in_quotes(extra.front()) + ": give " + joined_with_or(commands);
    }
    if (dynamic_cast<const CLI::ExtrasError*>(&error)) {
        const std::vector<std::string> all = app.remaining(true);
        if (!all.empty())
            return all.front().starts_with('-') ? "unknown option " + all.front()
                                                   : "unexpected argument " + in_quotes(all.front());
    }
    // "--batch: 1 required N missing" and "no-shuffle was given a disallowed
    // flag override" are CLI11's ways of saying these.
    const std::string what = error.what();
    if (!dynamic_cast<const CLI::ArgumentMismatch*>(&error)) return what;
    if (what.starts_with("--") && what.find(" required ") != std::string::npos && what.ends_with(" missing"))
        return what.substr(0, what.find(':')) + " needs a value";
    const std::string override_said = " was given a disallowed flag override";
    if (what.ends_with(override_said)) {
        const std::string name = what.substr(0, what.size() - override_said.size());
        return (name.starts_with('-') ? name : "--" + name) + " takes no value";
    }
    return what;
}

// `text` broken into lines of at most `width` characters, at spaces.
std::string wrapped(const std::string& text, std::size_t width)
{
    std::string out, word;
    std::size_t line = 0;
    std::istringstream words(text);
    while (words >> word) {
        if (line > 0 && line + 1 + word.size() > width) {
            out += '\n';
            line = 0;
        } else if (line > 0) {
            out += ' ';
            ++line;
        }
        out += word;
        line += word.size();
    }
    return out;
}

// Help with "usage:" first, options as "--batch N  mini-batch size (from 1
// to 1048576) [default: 32]": the range comes from the option's validators,
// the default from the value it was declared with. Lines fit 80 columns.
class HouseFormatter : public CLI::Formatter {
public:
    static constexpr std::size_t line_width = 80;
    static constexpr std::size_t name_width = 26;

    HouseFormatter()
    {
        label("Usage", "usage");
        label("OPTIONS", "options");
        label("SUBCOMMAND", "COMMAND");
        label("SUBCOMMANDS", "COMMANDS");
        column_width(name_width);
    }

    std::string make_help(const CLI::App* app, std::string name, CLI::AppFormatMode mode) const override
    {
        if (mode == CLI::AppFormatMode::Sub) return make_expanded(app);
        const std::string footer = make_footer(app);
        std::string help = make_usage(app, name) + "\n" + make_description(app) + make_positionals(app) +
                           make_groups(app, mode) + make_subcommands(app, mode) + (footer.empty() ? "" : "\n" + footer);
        // CLI11 puts a blank line both after a group and before the next.
        for (auto at = help.find("\n\n\n"); at != std::string::npos; at = help.find("\n\n\n")) help.erase(at, 1);
        return help;
    }

    std::string make_description(const CLI::App* app) const override
    {
        const std::string text = app->get_description();
        return text.empty() ? std::string() : wrapped(text, line_width) + "\n";
    }

    std::string make_subcommand(const CLI::App* sub) const override
    {
        std::ostringstream out;
        CLI::detail::format_help(out, sub->get_display_name(), wrapped(sub->get_description(), line_width - name_width),
                                 name_width);
        return out.str();
    }

    std::string make_option_opts(const CLI::Option* opt) const override
    {
        if (!opt->get_option_text().empty()) return " " + opt->get_option_text();
        const std::string type = type_and_range(opt).first;
        return opt->get_type_size() == 0 || type.empty() ? std::string() : " " + type;
    }

    std::string make_option_desc(const CLI::Option* opt) const override
    {
        std::string desc = opt->get_description();
        if (opt->get_type_size() != 0) {
            const std::string range = opt->get_option_text().empty() ? type_and_range(opt).second : std::string();
            if (!range.empty()) desc += " (" + range + ")";
            if (opt->get_required()) desc += ", required";
            if (!opt->get_default_str().empty()) desc += " [default: " + opt->get_default_str() + "]";
        }
        return wrapped(desc, line_width - name_width);
    }

private:
    // CLI11 joins the type name and the validators' descriptions with ':'
    // (a type name with a colon of its own is given as option_text instead).
    static std::pair<std::string, std::string> type_and_range(const CLI::Option* opt)
    {
        const std::string full = opt->get_type_name();
        const auto colon = full.find(':');
        if (colon == std::string::npos) return {full, {}};
        return {full.substr(0, colon), full.substr(colon + 1)};
    }
};

} // namespace

CLI::Validator whole_number(long long min, long long max)
{
    const std::string range = "from " + std::to_string(min) + " to " + std::to_string(max);
    return CLI::Validator(
        [min, max, range](std::string& text) -> std::string {
            long long value = 0;
            if (!parse_whole(text, value) || value < min || value > max)
                return in_quotes(text) + " is not a whole number " + range;
            text = std::to_string(value);
            return {};
        },
        range);
}

CLI::Validator real_number(double min, double max)
{
    const std::string range = "from " + number_text(min) + " to " + number_text(max);
    return CLI::Validator(
        [min, max, range](std::string& text) -> std::string {
            double value = 0;
            if (!parse_finite(text, value) || value < min || value > max) return in_quotes(text) + " is not a number " + range;
            return {};
        },
        range);
}

CLI::Validator positive_number(double max)
{
    const std::string range = "above 0, at most " + number_text(max);
    return CLI::Validator(
        [max, range](std::string& text) -> std::string {
            double value = 0;
            if (!parse_finite(text, value) || value <= 0 || value > max) return in_quotes(text) + " is not a number " + range;
            return {};
        },
        range);
}

CLI::Validator one_of(const std::vector<std::string>& words)
{
    const std::string choice = joined_with_or(words);
    return CLI::Validator(
        [words, choice](std::string& text) -> std::string {
            for (const std::string& w : words)
                if (text == w) return {};
            return in_quotes(text) + " is not " + choice;
        },
        choice);
}

CLI::Validator whole_number_pair(char separator, long long min, long long max, bool square_from_one)
{
    const std::string sep(1, separator);
    const std::string form = square_from_one ? "N or N" + sep + "M" : "N" + sep + "M";
    const std::string range = form + ", whole numbers from " + std::to_string(min) + " to " + std::to_string(max);
    return CLI::Validator(
        [=](std::string& text) -> std::string {
            const auto at = text.find(separator);
            long long a = 0, b = 0;
            const bool ok = at == std::string::npos
                                ? square_from_one && parse_whole(text, a) && (b = a, true)
                                : parse_whole(text.substr(0, at), a) && parse_whole(text.substr(at + 1), b);
            if (!ok || a < min || a > max || b < min || b > max) return in_quotes(text) + " is not " + range;
            text = std::to_string(a) + sep + std::to_string(b);
            return {};
        },
        range);
}

std::pair<std::size_t, std::size_t> split_pair(const std::string& text, char separator)
{
    const auto at = text.find(separator);
    return {std::size_t(std::stoull(text.substr(0, at))), std::size_t(std::stoull(text.substr(at + 1)))};
}

void use_house_style(CLI::App& app)
{
    app.formatter(std::make_shared<HouseFormatter>());
    app.set_help_flag("-h,--help", "print this help and exit");
    app.option_defaults()->disable_flag_override();
}

std::string command_path(const CLI::App& app)
{
    std::string path = app.get_name();
    for (const CLI::App* command = &app; !command->get_subcommands().empty();) {
        command = command->get_subcommands().front();
        path += " " + command->get_name();
    }
    return path;
}

int exit_code(const CLI::App& app, const CLI::ParseError& error)
{
    if (dynamic_cast<const CLI::Success*>(&error)) return app.exit(error);
    std::fprintf(stderr, "%s: %s (see --help)\n", command_path(app).c_str(), plain_message(app, error).c_str());
    return 2;
}

} // namespace cmdline
