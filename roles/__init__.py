"""pyinfra deploys, one module per appliance service. deploy.py sequences them."""
