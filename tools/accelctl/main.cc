// accelctl: command-line front end of libaccel. Usage: accelctl [-j] [-p] COMMAND ...
#include "commands.h"

int main(int argc, char **argv) {
  CLI::App app{"accelctl: run CNNs on zaccel devices and their emulator"};
  app.require_subcommand(1);
  accelctl::Global global;
  app.add_flag("-j,--json", global.json, "print JSON instead of text");
  app.add_flag("-p,--pretty", global.pretty, "indent JSON output");
  accelctl::add_eval(app, global);
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
