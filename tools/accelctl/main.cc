// accelctl: command-line front end of libaccel. Usage: accelctl [-j] [-p] COMMAND ...
#include <string>

#include "commands.h"

int main(int argc, char **argv) {
  CLI::App app{"accelctl: run CNNs on zaccel devices and their emulator"};
  app.require_subcommand(1);
  accelctl::Global global;
  app.add_flag("-j,--json", global.json, "print JSON instead of text");
  app.add_flag("-p,--pretty", global.pretty, "indent JSON output");
  accelctl::add_eval(app, global);
  accelctl::add_run(app, global);
  accelctl::add_dev(app, global);
  accelctl::add_lib(app, global);
  accelctl::add_plan(app, global);
  accelctl::add_bench(app, global);
  // Name an unknown command plainly (CLI11 would only say that one is required). Commands
  // match exactly, never by prefix.
  for (int i = 1; i < argc; ++i) {
    const std::string word = argv[i];
    if (!word.empty() && word[0] == '-') continue;
    const auto cmds = app.get_subcommands([&](const CLI::App *c) { return c->get_name() == word; });
    if (cmds.empty()) {
      std::fprintf(stderr, "accelctl: unknown command '%s' (see accelctl --help)\n", argv[i]);
      return 2;
    }
    break;
  }
  try {
    app.parse(argc, argv);
  } catch (const CLI::ParseError &e) {
    return app.exit(e);
  } catch (const std::exception &e) {
    std::fprintf(stderr, "accelctl: %s\n", e.what());
    return 1;
  }
  return 0;
}
