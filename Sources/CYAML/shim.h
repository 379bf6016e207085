#ifndef ATALAYA_CYAML_SHIM_H
#define ATALAYA_CYAML_SHIM_H

/* LibYAML (Debian libyaml-dev, pkg-config yaml-0.1): the config is composed from its
 * event API (yaml_parser_parse) in AtalayaCore/Config/YAML. */
#include <yaml.h>

#endif
