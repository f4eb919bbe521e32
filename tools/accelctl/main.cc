// accelctl: command-line front end of libaccel. Usage: accelctl [-j] [-p] COMMAND ...
// Exit status: 0 on success, 1 when what was asked failed, 2 for a usage error. Every failure
// prints one line to stderr: "accelctl: <what failed>: <why>".
#include <accel/accel.h>

#include <string>

#include "commands.h"

int main(int argc, char **argv) {
  CLI::App app{"accelctl: run CNNs on zaccel devices and their emulator"};
  app.require_subcommand(1);
  app.fallthrough();  // -j and -p after the command too: subcommands inherit this
  accelctl::Global global;
  app.add_flag("-j,--json", global.json, "print JSON instead of text");
  app.add_flag("-p,--pretty", global.pretty, "indent JSON output");
  app.set_version_flag("--version", std::string("accelctl ") + accel_version() + ", uapi " +
                                        std::to_string(accel_uapi_version()));
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
    if (e.get_exit_code() == 0) return app.exit(e);  // --help, --version
    std::fprintf(stderr, "accelctl: %s (see accelctl --help)\n", e.what());
    return 2;
  } catch (const std::exception &e) {
    std::fprintf(stderr, "accelctl: %s\n", e.what());
    return 1;
  }
  return 0;
}
